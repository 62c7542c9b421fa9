#!/bin/sh
# Regenerates the builtin reference inside Docs/Language.md from the registry
# (the part between the BEGIN/END BUILTINS markers).
set -eu
cd "$(dirname "$0")/.."
swift build -q --product tensh
bin="$(swift build --show-bin-path)/tensh"
"$bin" --dump-builtins > .build/builtins.md
awk -v gen=.build/builtins.md '
  /<!-- BEGIN BUILTINS/ { while ((getline line < gen) > 0) print line; skip = 1; next }
  /<!-- END BUILTINS -->/ { skip = 0; next }
  !skip { print }
' Docs/Language.md > .build/Language.md
mv .build/Language.md Docs/Language.md
