package io.github.sysloadexporter.sysload;

import java.util.Comparator;
import java.util.List;

/**
 * A candidate by name, without its value: what a counter of its seconds is kept under. Ordered
 * as the candidates are: cpu, si_cpu, io, then by device.
 */
public record CandidateId(String resource, String device) implements Comparable<CandidateId> {
    private static final List<String> ORDER = List.of(Candidate.CPU, Candidate.SI_CPU, Candidate.IO);
    private static final Comparator<CandidateId> BY_ORDER = Comparator.comparingInt(
                    (CandidateId c) -> ORDER.indexOf(c.resource()))
            .thenComparing(CandidateId::resource)
            .thenComparing(CandidateId::device);

    public static CandidateId of(Candidate c) {
        return new CandidateId(c.resource(), c.device());
    }

    @Override
    public int compareTo(CandidateId o) {
        return BY_ORDER.compare(this, o);
    }
}
