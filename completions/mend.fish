# fish completion for mend(1), the case tracker for customer complaints.
# Installed as /usr/share/fish/vendor_completions.d/mend.fish.
# Case ids, categories and customers come from the database through the
# hidden `mend __complete cases|categories|customers|customer-names` (prints nothing when
# there is no database yet).

# Options that take a value, so that the value is not taken for a subcommand or argument.
function __mend_takes_value
    contains -- $argv[1] --db --color --email --phone --channel --category --priority --wants \
        --ref --tag --untag --due -m --message -F --file --kind --outcome --amount --currency \
        --fault --cause --followup --within --csat --at --status --customer --since --until \
        --limit --summary --period --format --by --top -o --output --resolved-since --resolved-until
end

# Prints the subcommand on the line and then its arguments so far (not options or their values).
function __mend_words
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        if __mend_takes_value $t
            set skip 1
        else if string match -q -- '-*' $t
            continue
        else
            echo $t
        end
    end
end

function __mend_no_command
    set -l words (__mend_words)
    test (count $words) -eq 0
end

# True when the subcommand is one of the arguments.
function __mend_using
    set -l words (__mend_words)
    set -q words[1]; and contains -- $words[1] $argv
end

# True when the subcommand is one of the arguments and has no argument yet.
function __mend_first_arg_of
    set -l words (__mend_words)
    test (count $words) -eq 1; and contains -- $words[1] $argv
end

function __mend_dynamic
    set -l tokens (commandline -opc)
    set -l db
    set -l i 1
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case --db
                set -l j (math $i + 1)
                set -q tokens[$j]; and set db --db $tokens[$j]
            case '--db=*'
                set db --db (string replace -- '--db=' '' $tokens[$i])
        end
        set i (math $i + 1)
    end
    command $tokens[1] $db __complete $argv[1] 2>/dev/null
end

function __mend_dates
    printf '%s\n' 'today'\t'today (end of the day as a deadline)' tomorrow\ttomorrow \
        yesterday\tyesterday eod\t'end of today' eow\t'end of this week (Sunday)' \
        eom\t'end of this month' now\t'this moment' monday tuesday wednesday thursday friday \
        saturday sunday +1d\t'in a day' +2d\t'in two days' +3d\t'in three days' \
        +1w\t'in a week' +2w\t'in two weeks' -7d\t'a week ago' -30d\t'30 days ago' \
        1bd\t'end of the next working day' 2bd\t'end of the second working day' \
        5bd\t'end of the fifth working day' -1bd\t'start of the previous working day' \
        -5bd\t'start of the fifth working day back'
end

set -l commands open note resolve reopen followup list search show edit mail reply assign attach evidence calendar report export import backup forget help
set -l channels in-person phone email chat social review other
set -l priorities low normal high urgent
set -l kinds note call email meeting apology offer reply
set -l outcomes refund replacement repair discount credit expedite apology explanation no-action other
set -l faults ours customer third-party none unknown
set -l statuses open resolved closed

complete -c mend -f

# Global options, valid before or after the subcommand.
complete -c mend -l db -r -F -d 'Database file or postgresql:// URI'
complete -c mend -l json -d 'Print JSON for programs'
complete -c mend -l color -x -a 'auto always never' -d 'When to colour the output'
complete -c mend -s q -l quiet -d 'Print less (open: only the new id)'
complete -c mend -l version -d 'Print the version and exit'
complete -c mend -s h -l help -d 'Print help and exit'

# Subcommands.
complete -c mend -n __mend_no_command -a open -d 'Open a case: write a complaint down'
complete -c mend -n __mend_no_command -a note -d 'Add a timeline entry to a case'
complete -c mend -n __mend_no_command -a resolve -d 'Record the remedy, schedule the follow-up'
complete -c mend -n __mend_no_command -a reopen -d 'Bring a resolved or closed case back to open'
complete -c mend -n __mend_no_command -a followup -d 'What needs attention now, or record a follow-up'
complete -c mend -n __mend_no_command -a list -d 'List cases, newest first'
complete -c mend -n __mend_no_command -a search -d 'Find cases by any words in them'
complete -c mend -n __mend_no_command -a show -d 'Show a case with its timeline'
complete -c mend -n __mend_no_command -a edit -d 'Change fields of a case'
complete -c mend -n __mend_no_command -a mail -d 'Take mail in: complaints and answers'
complete -c mend -n __mend_no_command -a reply -d 'Write to the customer by email, from a template'
complete -c mend -n __mend_no_command -a assign -d 'Set who handles a case'
complete -c mend -n __mend_no_command -a attach -d 'Keep files with a case'
complete -c mend -n __mend_no_command -a evidence -d "Write a case's evidence pack into a folder"
complete -c mend -n __mend_no_command -a report -d 'The look back: causes, outcomes, trends'
complete -c mend -n __mend_no_command -a export -d 'Every case as JSON Lines or CSV'
complete -c mend -n __mend_no_command -a import -d 'Read cases in the export shape'
complete -c mend -n __mend_no_command -a backup -d 'A consistent copy of the database'
complete -c mend -n __mend_no_command -a calendar -d 'Promises and follow-ups as an iCalendar feed'
complete -c mend -n __mend_no_command -a forget -d "Erase a customer's personal data"
complete -c mend -n __mend_no_command -a help -d 'Explain mend or one of its commands'

# Arguments: case ids with their summaries, customers, files.
complete -c mend -n '__mend_first_arg_of note resolve reopen followup show edit assign attach evidence reply' -a '(__mend_dynamic cases)'
complete -c mend -n '__mend_first_arg_of forget' -a '(__mend_dynamic customers)'
complete -c mend -n '__mend_first_arg_of import backup' -F
complete -c mend -n '__mend_first_arg_of help' -a "$commands"

# open
complete -c mend -n '__mend_using open edit' -l email -x -d "Customer's email"
complete -c mend -n '__mend_using open edit' -l phone -x -d "Customer's phone"
complete -c mend -n '__mend_using open edit list' -l channel -x -a "$channels" -d 'How it reached you'
complete -c mend -n '__mend_using open edit list' -l category -x -a '(__mend_dynamic categories)' -d 'What it is about'
complete -c mend -n '__mend_using open edit' -l priority -x -a "$priorities" -d Priority
complete -c mend -n '__mend_using open edit' -l wants -x -d 'What the customer asks for'
complete -c mend -n '__mend_using open edit' -l ref -x -d 'Order or invoice number'
complete -c mend -n '__mend_using open edit list' -l tag -x -d 'A tag'
complete -c mend -n '__mend_using open edit' -l due -x -a '(__mend_dates)' -d 'Promised time frame'
complete -c mend -n '__mend_using open resolve followup' -s m -l message -x -d Text
complete -c mend -n '__mend_using open note' -s F -l file -r -F -d 'Read the text from FILE (- for stdin)'

# owner: open, assign, and the --owner / --mine filters
complete -c mend -n '__mend_using open list search followup mail' -l owner -x -a 'me nobody' -d 'Who handles the case'
complete -c mend -n '__mend_using list search followup' -l mine -d 'Only the cases you handle'

# mail
complete -c mend -n '__mend_using mail' -F
complete -c mend -n '__mend_using mail' -l category -x -a '(__mend_dynamic categories)' -d 'Category of the cases mail opens'
complete -c mend -n '__mend_using mail' -l priority -x -a "$priorities" -d 'Priority of the cases mail opens'
complete -c mend -n '__mend_using mail' -l due -x -a '(__mend_dates)' -d 'Promised time frame'
complete -c mend -n '__mend_using mail' -l tag -x -d 'A tag'
complete -c mend -n '__mend_using mail' -l ack -d 'Answer each new case with the ack template'

# reply
function __mend_templates
    printf '%s\n' ack apology update resolution followup
    set -l dir ~/.config
    set -q XDG_CONFIG_HOME; and set dir $XDG_CONFIG_HOME
    for f in $dir/mend/templates/*.txt
        string replace -r '.*/(.*)\.txt$' '$1' -- $f
    end
end
complete -c mend -n '__mend_using reply' -s m -l message -x -d 'The reply'
complete -c mend -n '__mend_using reply' -s F -l file -r -F -d 'Read the reply from FILE (- for stdin)'
complete -c mend -n '__mend_using reply' -l template -x -a '(__mend_templates)' -d 'Start from a template'
complete -c mend -n '__mend_using reply' -l print -d 'Write the message to stdout, send nothing'

# note
complete -c mend -n '__mend_using note' -l kind -x -a "$kinds" -d 'Kind of entry'

# resolve
complete -c mend -n '__mend_using resolve' -l outcome -x -a "$outcomes" -d 'The remedy (required)'
complete -c mend -n '__mend_using resolve' -l amount -x -d 'Money given, e.g. 49.99'
complete -c mend -n '__mend_using resolve' -l currency -x -a 'USD EUR GBP CHF CAD AUD JPY SEK NOK DKK PLN CZK' -d 'ISO 4217 currency'
complete -c mend -n '__mend_using resolve' -l fault -x -a "$faults" -d 'Whose fault (internal)'
complete -c mend -n '__mend_using resolve' -l cause -x -d 'Root cause'
complete -c mend -n '__mend_using resolve' -l followup -x -a 'never\t"no follow-up, close at once" (__mend_dates)' -d 'When to follow up'

# followup
complete -c mend -n '__mend_using followup' -l within -x -a '(__mend_dates)' -d 'Extend the windows to WHEN'
complete -c mend -n '__mend_using followup' -l done -d 'The customer was reached: close the case'
complete -c mend -n '__mend_using followup' -l csat -x -a '1 2 3 4 5' -d 'Satisfaction, 1 to 5'
complete -c mend -n '__mend_using followup' -l no-answer -d 'Log an attempt, try again in 2 days'
complete -c mend -n '__mend_using followup' -l at -x -a '(__mend_dates)' -d 'Reschedule the follow-up'

# list, search
complete -c mend -n '__mend_using list search export' -l status -x -a "$statuses" -d 'Only this status (repeatable)'
complete -c mend -n '__mend_using list search' -l customer -x -a '(__mend_dynamic customer-names)' -d 'Customer id, part of the name, email or phone'
complete -c mend -n '__mend_using list' -l overdue -d 'Only open cases past their due time'
complete -c mend -n '__mend_using list search report export' -l since -x -a '(__mend_dates)' -d 'From WHEN'
complete -c mend -n '__mend_using list search report export' -l until -x -a '(__mend_dates)' -d 'Until WHEN'
complete -c mend -n '__mend_using list search' -l limit -x -d 'At most N cases'

# edit
complete -c mend -n '__mend_using edit' -l summary -x -d 'New one-line summary'
complete -c mend -n '__mend_using edit' -l untag -x -d 'Remove a tag'

# report
complete -c mend -n '__mend_using report' -l period -x -a "week month quarter year last-week last-month (date +%Y-%m)" -d 'A calendar period'
complete -c mend -n '__mend_using report' -l format -x -a 'text json csv markdown html' -d 'Output format'
complete -c mend -n '__mend_using report' -l by -x -a 'category channel outcome cause customer' -d 'Only this breakdown'
complete -c mend -n '__mend_using report' -l top -x -d 'At most N rows per breakdown'

# export
complete -c mend -n '__mend_using export' -l format -x -a 'jsonl csv' -d 'Output format'
complete -c mend -n '__mend_using export' -s o -l output -r -F -d 'Write to FILE'
complete -c mend -n '__mend_using export' -l force -d 'With -o, replace an existing file'
complete -c mend -n '__mend_using export' -l resolved-since -x -a '(__mend_dates)' -d 'Resolved at or after WHEN'
complete -c mend -n '__mend_using export' -l resolved-until -x -a '(__mend_dates)' -d 'Resolved before WHEN'
complete -c mend -n '__mend_using export' -l local -d 'CSV: local times with their offset'
complete -c mend -n '__mend_using export import' -l files -x -a '(__fish_complete_directories)' -d 'Folder of the attachments'

# attach, evidence
complete -c mend -n '__mend_using attach' -l name -x -d 'The name to keep the file under'
complete -c mend -n '__mend_using attach' -F
complete -c mend -n '__mend_using evidence' -s o -l output -x -a '(__fish_complete_directories)' -d 'The folder for the pack'

# calendar
complete -c mend -n '__mend_using calendar' -s o -l output -r -F -d 'Write the feed to FILE'

# backup, forget
complete -c mend -n '__mend_using backup' -l force -d 'Replace an existing file'
complete -c mend -n '__mend_using forget' -s y -l yes -d 'Do not ask'
