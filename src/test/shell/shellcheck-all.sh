#!/usr/bin/env bash
# Runs shellcheck over every shell script of the checkout: the files git tracks, or would
# track once added, whose first line runs sh, dash or bash, and the *.sh files (sourced ones
# have none), so that a new script is checked without being named here, before its first
# commit too. Fixture trees are data, not scripts. .ci/run runs it.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/lib.sh"

command -v shellcheck >/dev/null || die "shellcheck missing (apt-get install shellcheck)"
scripts=()
while IFS= read -r -d '' f; do
    if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
    if [[ $f == *.sh ]] || head -n 1 "$f" | grep -Eq '^#! ?(/usr/bin/env )?/?([a-z/]*/)?(ba|da)?sh( |$)'; then
        scripts+=("$f")
    fi
done < <(git ls-files -z --cached --others --exclude-standard -- . ':!src/test/resources')
shellcheck --external-sources "${scripts[@]}"
echo "shellcheck-all: ${#scripts[@]} scripts, no finding"
