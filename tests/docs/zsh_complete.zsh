#!/usr/bin/env zsh
# Prints what zsh completion offers for a command line, one candidate a line
# ("word -- description"), by running an interactive zsh in a pseudo-terminal
# (zpty), loading completions/_mend and pressing TAB. Usage:
#   zsh_complete.zsh COMPLETIONS_DIR 'mend re'
# The technique (a compadd wrapper that prints the matches between two marker
# lines) follows zsh-capture-completion by Vincent Breitmoser (MIT).
emulate -L zsh
zmodload zsh/zpty || exit 2
local dir=$1 cmdline=$2
local setup=${TMPDIR:-/tmp}/mend-zsh-capture.$$
cat > $setup <<'SETUP'
PROMPT=
RPROMPT=
unsetopt zle_bracketed_paste 2>/dev/null
autoload -Uz compinit
compinit -u -D
bindkey '^M' undefined
bindkey '^J' undefined
bindkey '^I' complete-word
_capture_marker() { print -r -- "--capture-marker--" }
compprefuncs=(_capture_marker)
comppostfuncs=(_capture_marker exit)
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return $?
  fi
  typeset -a __hits __dscr __tmp
  if (( $@[(I)-d] )); then
    __tmp=${@[$[${@[(i)-d]}+1]]}
    if [[ $__tmp == \(* ]]; then
      eval "__dscr=$__tmp"
    else
      __dscr=( "${(@P)__tmp}" )
    fi
  fi
  builtin compadd -A __hits -D __dscr "$@"
  [[ -n $__hits ]] || return
  local i dscr
  for i in {1..$#__hits}; do
    (( $#__dscr >= i )) && dscr=" -- ${${${__dscr[$i]}##$__hits[$i] #}#-- }" || dscr=
    print -r -- "$__hits[$i]$dscr"
  done
}
print capture-ready
SETUP
print -r -- "fpath=(${(q)dir} \$fpath); source ${(q)setup}" > $setup.init
zpty z zsh -f -i
zpty -w z "source ${(q)setup}.init"
local line ready=0
repeat 50; do
  zpty -r -t z line 2>/dev/null || { sleep 0.1; continue; }
  [[ $line == capture-ready* ]] && { ready=1; break }
done
(( ready )) || { print -u2 "zsh did not start"; rm -f $setup $setup.init; exit 2 }
zpty -w -n z "$cmdline"$'\t'
integer seen=0
local out
while zpty -r z line; do
  line=${line%$'\r'}
  line=${line%$'\n'}
  line=${line%$'\r'}
  if [[ $line == *--capture-marker--* ]]; then
    (( seen++ )) && break
    continue
  fi
  (( seen )) && print -r -- "$line"
done
zpty -d z
rm -f $setup $setup.init
