package io.github.sysloadexporter.detect;

import java.util.List;

/** The result of one scan of {@code class/net}: the NICs to watch and the interfaces left out. */
public record NicScan(List<Nic> nics, List<Excluded> excluded) {
    public NicScan {
        nics = List.copyOf(nics);
        excluded = List.copyOf(excluded);
    }
}
