#!/usr/bin/env bash
# Keeps the four places that describe mend's command line together: what the
# binary's --help reports (the truth) must be in the man page, in all three
# completion files and (subcommands) in the README. Driven by --help, so a new
# command or option fails here until it is documented and completable.
#   consistency_test.sh MEND_BINARY SOURCE_DIR
set -u
mend=$1
src=$2
man=$src/man/mend.1
bash_file=$src/completions/mend.bash
zsh_file=$src/completions/_mend
fish_file=$src/completions/mend.fish
readme=$src/README.md
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# The commands the SPEC defines. A command may be documented and completed
# before its branch is merged; a word in those files that is neither in --help
# nor here is a ghost (a typo or a removed command) and fails.
spec_commands="open note resolve reopen followup list show edit attach evidence report export import backup forget mail reply search calendar assign help"

# Options in the first column of CLI11's help ("  -m,--message TEXT Excludes: --file").
options_of() {
    "$mend" "$@" --help | awk '/^Options:/ {on = 1; next} /^[A-Z][a-z]*:/ {on = 0} on && /^  +-/ {print $1}' |
        tr ',' '\n' | grep -E '^-' | sort -u
}

commands=$("$mend" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
[ -n "$commands" ] || fail "mend --help lists no subcommands"
global_options=$(options_of)
echo "subcommands in --help: $(echo $commands)"
echo "global options in --help: $(echo $global_options)"

# The man page source with roff escapes removed, so "\-\-db" reads "--db".
man_text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(en/-/g' "$man")

# The text of the man page sections whose .SS title starts with "mend CMD" (or
# the GLOBAL OPTIONS section for the global options).
man_section() {
    if [ "$1" = "" ]; then
        awk '/^\.SH GLOBAL OPTIONS/ {on = 1; next} /^\.S[HS]/ {on = 0} on' <<<"$man_text"
    else
        awk -v cmd="$1" '/^\.S[HS]/ {on = 0} $0 ~ "^\\.SS \"mend " cmd "( |\")" {on = 1} on' <<<"$man_text"
    fi
}
has_word() { # has_word TEXT WORD: WORD appears with no letter or dash around it
    grep -qE -- "(^|[^a-zA-Z0-9-])$(sed 's/[.]/\\./g' <<<"$2")([^a-zA-Z0-9-]|$)" <<<"$1"
}

# bash: the option lists are data in the file.
bash_opts() { bash -c "source '$bash_file' 2>/dev/null; if [ -z \"\$1\" ]; then echo \$_mend_global_opts; else _mend_command_opts \"\$1\"; fi" _ "$1"; }
bash_commands=$(bash -c "source '$bash_file' 2>/dev/null; echo \$_mend_commands")

# zsh: the _arguments block of a subcommand ("        open)" up to ";;"), or the global array.
zsh_block() {
    if [ "$1" = "" ]; then
        awk '/^  global=\(/ {on = 1} on {print} on && /^  \)/ {exit}' "$zsh_file"
    else
        awk -v cmd="$1" '$0 ~ "^        " cmd "\\)$" {on = 1; next} on && /^          ;;/ {exit} on' "$zsh_file"
    fi
}
zsh_has_option() { # zsh_has_option BLOCK OPTION: an _arguments spec, not an exclusion list
    local o=$2
    if [[ $o == --* ]]; then
        grep -qE -- "['{,]$o([]=[}']|\[)" <<<"$1" || grep -qE -- "$o(=\[|\[)" <<<"$1"
    else
        grep -qE -- "[{']$o[+,=[]" <<<"$1"
    fi
}
zsh_commands=$(awk '/^      commands=\(/ {on = 1; next} on && /^      \)/ {exit} on' "$zsh_file" |
    sed -E "s/^ *['\"]([a-z-]+):.*/\1/")

# fish: "complete -c mend -n '__mend_using a b' -l opt" lines; global ones have no -n.
fish_has_option() { # fish_has_option CMD OPTION
    local cmd=$1 o=$2 flag
    if [[ $o == --* ]]; then flag="-l ${o#--}"; else flag="-s ${o#-}"; fi
    if [ -z "$cmd" ]; then
        grep -E "^complete -c mend " "$fish_file" | grep -vE -- " -n " | grep -qE -- " $flag( |$)"
    else
        grep -E "^complete -c mend -n '__mend_using [^']*\b$cmd\b[^']*'" "$fish_file" | grep -qE -- " $flag( |$)"
    fi
}
fish_commands=$(grep -E "^complete -c mend -n __mend_no_command -a " "$fish_file" | awk '{print $7}')

check_options() { # check_options CMD OPTIONS...
    local cmd=$1 label=${1:-global}
    shift
    local section bash_list zblock o
    section=$(man_section "$cmd")
    bash_list=" $(bash_opts "$cmd") $(bash_opts "") "
    zblock="$(zsh_block "$cmd")"
    [ -n "$section" ] || fail "man page has no section for '$label'"
    [ -n "$zblock" ] || fail "_mend has no _arguments block for '$label'"
    for o in "$@"; do
        if [ -n "$cmd" ] && { [ "$o" = "-h" ] || [ "$o" = "--help" ]; }; then
            continue # every command's -h/--help is the global one
        fi
        has_word "$section" "$o" || fail "man page: '$label' section does not mention $o"
        [[ $bash_list == *" $o "* ]] || fail "mend.bash: '$label' does not complete $o"
        zsh_has_option "$zblock" "$o" || fail "_mend: '$label' does not complete $o"
        fish_has_option "$cmd" "$o" || fail "mend.fish: '$label' does not complete $o"
    done
}

check_options "" $global_options
for cmd in $commands; do
    has_word "$bash_commands" "$cmd" || fail "mend.bash does not complete the subcommand $cmd"
    has_word "$zsh_commands" "$cmd" || fail "_mend does not complete the subcommand $cmd"
    has_word "$fish_commands" "$cmd" || fail "mend.fish does not complete the subcommand $cmd"
    grep -qE "^\.SS \"mend $cmd( |\")" "$man" || fail "man page has no section 'mend $cmd'"
    grep -qE "mend $cmd( |\`|$)" "$readme" || fail "README does not mention 'mend $cmd'"
    opts=$(options_of "$cmd")
    echo "$cmd: $(echo $opts)"
    check_options "$cmd" $opts
done

# The other way round: a subcommand offered by a completion or documented in the
# man page must exist. Until every SPEC command is merged, a SPEC command that is
# not in --help yet is allowed; after that the match must be exact.
all_merged=yes
for c in $spec_commands; do has_word "$commands" "$c" || all_merged=no; done
man_commands=$(sed -nE 's/^\.SS "mend ([a-z-]+).*/\1/p' "$man" | sort -u)
for pair in "mend.bash:$bash_commands" "_mend:$zsh_commands" "mend.fish:$fish_commands" "man page:$man_commands"; do
    where=${pair%%:*}
    for c in ${pair#*:}; do
        has_word "$commands" "$c" && continue
        if [ $all_merged = no ] && has_word "$spec_commands" "$c"; then
            continue
        fi
        fail "$where offers the subcommand '$c', which mend --help does not list"
    done
done

if [ $failures -gt 0 ]; then
    echo "$failures inconsistencies between --help, the man page, the completions and the README"
    exit 1
fi
echo "help, man page, completions and README agree"
