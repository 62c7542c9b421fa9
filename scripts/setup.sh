#!/usr/bin/env bash
# Installs the system packages tensh builds and tests with, only when missing:
# ncurses and readline headers, zlib, libpng and libjpeg-turbo headers (the file
# formats), pkg-config, tmux (for the terminal tests) and ncurses-term.
set -euo pipefail
need=()
pkg-config --exists ncursesw 2>/dev/null || need+=(libncurses-dev)
[ -f /usr/include/readline/readline.h ] || need+=(libreadline-dev)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
[ -f /usr/include/png.h ] || need+=(libpng-dev)
[ -f /usr/include/jpeglib.h ] || need+=(libjpeg62-turbo-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
# Direct-colour terminfo (xterm-direct, tmux-direct): the workbench's 24-bit colour path.
[ -e /usr/share/terminfo/x/xterm-direct ] || [ -e /lib/terminfo/x/xterm-direct ] || need+=(ncurses-term)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
