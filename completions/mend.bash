# bash completion for mend(1), the case tracker for customer complaints.
# Installed as /usr/share/bash-completion/completions/mend (loaded on demand).
# Case ids, categories and customers come from the database through the
# hidden `mend __complete cases|categories|customers|customer-names` (prints nothing when
# there is no database yet).

_mend_commands="open note resolve reopen followup list search show edit mail reply assign attach evidence calendar report export import backup forget help"
_mend_global_opts="--db --json --color -q --quiet --version -h --help"

# Options of each subcommand (the global ones are valid everywhere).
_mend_command_opts() {
    case $1 in
        open) echo "--email --phone --channel --category --priority --wants --ref --tag --due --owner -m --message -F --file" ;;
        note) echo "--kind -F --file" ;;
        resolve) echo "--outcome -m --message --amount --currency --fault --cause --followup" ;;
        reopen) echo "" ;;
        followup) echo "--within --owner --mine --done --csat -m --message --no-answer --at" ;;
        list) echo "--status --customer --category --channel --tag --overdue --since --until --owner --mine --limit" ;;
        search) echo "--status --customer --since --until --owner --mine --limit" ;;
        show) echo "" ;;
        edit) echo "--summary --category --channel --priority --due --ref --wants --tag --untag --email --phone" ;;
        report) echo "--since --until --period --format --by --top" ;;
        assign) echo "" ;;
        mail) echo "--category --priority --due --tag --owner --ack" ;;
        reply) echo "-m --message -F --file --template --print" ;;
        attach) echo "--name" ;;
        evidence) echo "-o --output" ;;
        calendar) echo "-o --output" ;;
        export) echo "--format --since --until --resolved-since --resolved-until --status --local -o --output --force --files" ;;
        import) echo "--files" ;;
        backup) echo "--force" ;;
        forget) echo "-y --yes" ;;
        help) echo "" ;;
    esac
}

# Options that take a value (the next word is not a subcommand or argument).
_mend_takes_value() {
    case $1 in
        --db | --color | --email | --phone | --channel | --category | --priority | --wants | --ref | \
            --tag | --untag | --due | -m | --message | -F | --file | --kind | --outcome | --amount | \
            --currency | --fault | --cause | --followup | --within | --csat | --at | --status | \
            --customer | --since | --until | --limit | --summary | --period | --format | --by | \
            --top | -o | --output | --name | --files | --resolved-since | --resolved-until | --owner | \
            --template)
            return 0
            ;;
    esac
    return 1
}

_mend_date_words="today tomorrow yesterday eod eow eom now monday tuesday wednesday thursday friday saturday sunday +1d +2d +3d +1w +2w -7d -30d 1bd 2bd 3bd 5bd -1bd -5bd"

# Offers `value<TAB>description` lines from `mend __complete WHAT`: the values
# alone when one is left, else "value  (description)" so the list reads well.
_mend_dynamic() {
    local what=$1 cur=$2 mend=$3 db=$4
    local -a args=()
    [[ -n $db ]] && args=(--db "$db")
    local line value desc
    local -a values=() shown=()
    while IFS=$'\t' read -r value desc; do
        [[ -z $value || $value != "$cur"* ]] && continue
        values+=("$value")
        shown+=("$value  ($desc)")
    done < <("$mend" "${args[@]}" __complete "$what" 2>/dev/null)
    if ((${#values[@]} <= 1)); then
        COMPREPLY=("${values[@]}")
    else
        COMPREPLY=("${shown[@]}")
    fi
}

# Customer names for list --customer (which matches a part of the name),
# quoted for the shell: "Ada Lovelace" is one word.
_mend_customer_names() {
    local cur=$1 mend=$2 db=$3 value desc
    local -a args=()
    [[ -n $db ]] && args=(--db "$db")
    COMPREPLY=()
    while IFS=$'\t' read -r value desc; do
        [[ -z $value || ${value,,} != "${cur,,}"* ]] && continue
        COMPREPLY+=("$(printf '%q' "$value")")
    done < <("$mend" "${args[@]}" __complete customer-names 2>/dev/null)
}

_mend() {
    local cur prev words cword split
    _init_completion -s -n = || return

    local mend=${words[0]:-mend}
    [[ $mend == \~* ]] && mend=${mend/#\~/$HOME}

    # Find the subcommand, the --db given, and how many arguments follow the subcommand.
    local cmd="" db="" nargs=0 i w
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        if [[ $w == --db=* ]]; then
            db=${w#--db=}
        elif [[ $w == --db ]]; then
            db=${words[i + 1]}
            ((i++))
        elif _mend_takes_value "$w"; then
            ((i++))
        elif [[ $w == -* ]]; then
            :
        elif [[ -z $cmd ]]; then
            cmd=$w
        else
            ((nargs++))
        fi
    done
    [[ $db == \~* ]] && db=${db/#\~/$HOME}

    # The value of an option.
    case $prev in
        --db | -F | --file | -o | --output)
            if [[ $cmd == evidence ]]; then _filedir -d; else _filedir; fi
            return
            ;;
        --files)
            _filedir -d
            return
            ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return
            ;;
        --channel)
            COMPREPLY=($(compgen -W "in-person phone email chat social review other" -- "$cur"))
            return
            ;;
        --priority)
            COMPREPLY=($(compgen -W "low normal high urgent" -- "$cur"))
            return
            ;;
        --template)
            local tdir=${XDG_CONFIG_HOME:-$HOME/.config}/mend/templates t
            local -a names=(ack apology update resolution followup)
            for t in "$tdir"/*.txt; do [[ -f $t ]] && t=${t##*/} && names+=("${t%.txt}"); done
            COMPREPLY=($(compgen -W "${names[*]}" -- "$cur"))
            return
            ;;
        --kind)
            COMPREPLY=($(compgen -W "note call email meeting apology offer reply" -- "$cur"))
            return
            ;;
        --outcome)
            COMPREPLY=($(compgen -W "refund replacement repair discount credit expedite apology explanation no-action other" -- "$cur"))
            return
            ;;
        --fault)
            COMPREPLY=($(compgen -W "ours customer third-party none unknown" -- "$cur"))
            return
            ;;
        --status)
            COMPREPLY=($(compgen -W "open resolved closed" -- "$cur"))
            return
            ;;
        --period)
            COMPREPLY=($(compgen -W "week month quarter year last-week last-month $(date +%Y-%m 2>/dev/null)" -- "$cur"))
            return
            ;;
        --by)
            COMPREPLY=($(compgen -W "category channel outcome cause customer" -- "$cur"))
            return
            ;;
        --format)
            if [[ $cmd == export ]]; then
                COMPREPLY=($(compgen -W "jsonl csv" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "text json csv markdown html" -- "$cur"))
            fi
            return
            ;;
        --csat)
            COMPREPLY=($(compgen -W "1 2 3 4 5" -- "$cur"))
            return
            ;;
        --currency)
            COMPREPLY=($(compgen -W "USD EUR GBP CHF CAD AUD JPY SEK NOK DKK PLN CZK" -- "$cur"))
            return
            ;;
        --followup)
            COMPREPLY=($(compgen -W "never $_mend_date_words" -- "$cur"))
            return
            ;;
        --due | --since | --until | --at | --within | --resolved-since | --resolved-until)
            COMPREPLY=($(compgen -W "$_mend_date_words" -- "$cur"))
            return
            ;;
        --category)
            _mend_dynamic categories "$cur" "$mend" "$db"
            return
            ;;
        --customer)
            _mend_customer_names "$cur" "$mend" "$db"
            return
            ;;
    esac
    if _mend_takes_value "$prev"; then
        return # free text: nothing to offer
    fi
    [[ $split == true ]] && return

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$_mend_global_opts" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$_mend_commands" -- "$cur"))
        fi
        return
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_mend_command_opts "$cmd") $_mend_global_opts" -- "$cur"))
        return
    fi

    # Arguments of the subcommand.
    case $cmd in
        note | resolve | reopen | followup | show | edit | evidence | assign | reply)
            ((nargs == 0)) && _mend_dynamic cases "$cur" "$mend" "$db"
            ;;
        attach)
            if ((nargs == 0)); then _mend_dynamic cases "$cur" "$mend" "$db"; else _filedir; fi
            ;;
        mail)
            _filedir
            ;;
        forget)
            ((nargs == 0)) && _mend_dynamic customers "$cur" "$mend" "$db"
            ;;
        import | backup)
            ((nargs == 0)) && _filedir
            ;;
        help)
            ((nargs == 0)) && COMPREPLY=($(compgen -W "$_mend_commands" -- "$cur"))
            ;;
    esac
} &&
    complete -F _mend mend
