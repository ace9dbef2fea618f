function __physio_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __physio_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __physio_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __physio_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __physio_parse_tokens -S
    set -l unparsed_tokens (__physio_tokens -pc)
    switch $unparsed_tokens[1]
    case 'physio'
        __physio_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'fetch'
            __physio_parse_subcommand 1 'dest=' 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'include=+' 'exclude=+' 'j=' 'source=' 'billing-project=' 'no-fallback' 'force' 'no-split' 'dry-run' 'trust-server' 'layout=' 'auth=' 'json' 'shard=' 'shards=' 'wait-lock=' 'retries=' 'quiet' 'progress-fd=' 'version' 'h/help'
        case 'verify'
            __physio_parse_subcommand -r 1 'dest=' 'full' 'json' 'shard=' 'shards=' 'quiet' 'version' 'h/help'
        case 'list'
            __physio_parse_subcommand 0 'dest=' 'json' 'version' 'h/help'
        case 'login'
            __physio_parse_subcommand 0 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'username=' 'password-stdin' 'version' 'h/help'
        case 'logout'
            __physio_parse_subcommand 0 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'version' 'h/help'
        case 'whoami'
            __physio_parse_subcommand 0 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'json' 'version' 'h/help'
        case 'status'
            __physio_parse_subcommand -r 1 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'json' 'quiet' 'version' 'h/help'
        case 'sign-dua'
            __physio_parse_subcommand 1 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'version' 'h/help'
        case 'inventory'
            __physio_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'export'
                __physio_parse_subcommand -r 1 'dest=' 'json' 'csv' 'version' 'h/help'
            case 'merge'
                __physio_parse_subcommand 1 'dest=' 'json' 'version' 'h/help'
            end
        case 'init'
            __physio_parse_subcommand 0 'file=' 'force' 'version' 'h/help'
        case 'sync'
            __physio_parse_subcommand 0 'file=' 'locked' 'prune' 'dry-run' 'wait-lock=' 'retries=' 'interactive' 'only=+' 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'json' 'quiet' 'progress-fd=' 'version' 'h/help'
        case 'outdated'
            __physio_parse_subcommand 0 'file=' 'dest=' 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'all' 'exit-code' 'json' 'version' 'h/help'
        case 'prune'
            __physio_parse_subcommand 0 'dest=' 'older-than=' 'old-versions' 'yes' 'wait-lock=' 'json' 'version' 'h/help'
        case 'cite'
            __physio_parse_subcommand -r 1 'dest=' 'format=' 'file=' 'version' 'h/help'
        case 'search'
            __physio_parse_subcommand 1 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'json' 'version' 'h/help'
        case 'versions'
            __physio_parse_subcommand 1 'dest=' 'base-url=' 'allow-insecure-http' 'proxy=' 'cacert=' 'json' 'version' 'h/help'
        case 'help'
            __physio_parse_subcommand -r 1 'version'
        end
    end
end

function __physio_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __physio_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __physio_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __physio_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__physio_tokens -p)
    if test -z "$(__physio_tokens -t)"
        set -l index (count (__physio_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'physio' -f
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'fetch' -d 'Download a dataset version, verified against SHA256SUMS.txt, resuming what is partial.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'verify' -d 'Check local datasets against the inventory (stat facts, or full SHA-256 with --full).'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'list' -d 'Show the datasets under the data root with sizes, file counts and state.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'login' -d 'Log in to PhysioNet and keep the session for later commands.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'logout' -d 'End the saved PhysioNet session and delete it.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'whoami' -d 'Show the saved PhysioNet login and whether the server still accepts it.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'status' -d 'Show your PhysioNet account and, per project, exactly which access requirement is missing.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'sign-dua' -d 'Read and sign a project version\'s data use agreement (interactive only).'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'inventory' -d 'Read or join the data root\'s inventory (<dest>/.physio/inventory.sqlite).'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'init' -d 'Write a commented physio.toml to start from.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'sync' -d 'Bring the data root to what physio.toml declares, and write physio.lock.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'outdated' -d 'List datasets with a newer published version, without syncing.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'prune' -d 'Remove old entries of .physio/removed/ and, with --old-versions, old versions of datasets (a dry run without --yes).'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'cite' -d 'Print how to cite datasets (and PhysioNet), offline, from what fetch and sync recorded.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'search' -d 'Find published projects by a word of their slug, title or abstract.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'versions' -d 'List a project\'s published versions with their dates, and which are under the data root.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch"' -l 'include' -d 'Only files matching this glob (repeatable).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch"' -l 'exclude' -d 'Skip files matching this glob (repeatable).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" j' -s 'j' -d 'Parallel transfers (default 4 from PhysioNet, at most 8 without --force; 16 from a mirror, at most 64).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" source' -l 'source' -d 'Where the bytes come from: physionet, aws-open (PhysioNet\'s AWS Open Data bucket), s3://BUCKET[/PREFIX], gs://BUCKET[/PREFIX], or auto (aws-open when it has the version). The list and hashes always come from PhysioNet.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" billing-project' -l 'billing-project' -d 'The Google Cloud project billed for a requester-pays gs:// mirror (default: $GOOGLE_CLOUD_PROJECT).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" no-fallback' -l 'no-fallback' -d 'With a mirror: a file the mirror lacks or serves differently fails instead of coming from PhysioNet.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" force' -l 'force' -d 'Allow -j above 8 (PhysioNet times out around 24 connections), beyond the machine-wide connection cap too.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" no-split' -l 'no-split' -d 'Never split a file across connections (by default large files may use spare connections, up to 2 x -j, at most 8).'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" dry-run' -l 'dry-run' -d 'List what would be fetched, with sizes where known, and download nothing.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" trust-server' -l 'trust-server' -d 'Accept a server SHA256SUMS.txt that differs from the copy pinned in physio.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" layout' -l 'layout' -d 'Folder layout: physio (<dest>/<slug>/<version>) or wget (<dest>/<host>/files/<slug>/<version>).' -rfka 'physio wget'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" auth' -l 'auth' -d 'Authentication: session (the saved `physio login`, default) or wget-basic (HTTP Basic sent with a Wget/ User-Agent; impersonates wget).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" json' -l 'json' -d 'Print one JSON summary on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" shard' -l 'shard' -d 'Cover only part I of N of the file list (I from 0), or \'auto\' to take it from a Slurm job array or a Kubernetes Indexed Job.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" shards' -l 'shards' -d 'With --shard auto under Kubernetes: the Job\'s completions count.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" wait-lock' -l 'wait-lock' -d 'Wait up to this long for another physio run holding the same lock to finish (default: exit 10 at once).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" retries' -l 'retries' -d 'Retry each failed request N times, a server refusing connections included (default: 7 times, but a refused connection only for 5 s, so a dead server fails fast).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" quiet' -l 'quiet' -d 'No progress output.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" progress-fd' -l 'progress-fd' -d 'Also write progress as JSON lines to this open file descriptor, 4 a second and once at the end.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio fetch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio verify" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio verify" full' -l 'full' -d 'Re-hash every file (in parallel across cores) instead of comparing size, mtime and inode.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio verify" json' -l 'json' -d 'Print a JSON array of reports on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio verify" shard' -l 'shard' -d 'Cover only part I of N of the file list (I from 0), or \'auto\' to take it from a Slurm job array or a Kubernetes Indexed Job.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio verify" shards' -l 'shards' -d 'With --shard auto under Kubernetes: the Job\'s completions count.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio verify" quiet' -l 'quiet' -d 'Print nothing when every file checks out; only what is wrong otherwise.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio verify" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio list" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio list" json' -l 'json' -d 'Print a JSON array on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio list" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio login" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio login" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio login" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio login" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio login" username' -l 'username' -d 'PhysioNet username or primary e-mail.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio login" password-stdin' -l 'password-stdin' -d 'Read the password from the first line of standard input.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio login" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio login" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio logout" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio logout" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio logout" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio logout" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio logout" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio logout" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio whoami" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio whoami" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio whoami" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio whoami" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio whoami" json' -l 'json' -d 'Print JSON on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio whoami" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio whoami" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio status" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio status" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio status" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio status" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio status" json' -l 'json' -d 'Print one JSON object on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio status" quiet' -l 'quiet' -d 'Print nothing when every named project is accessible; only what is missing otherwise (on stderr).'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio status" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sign-dua" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sign-dua" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sign-dua" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sign-dua" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sign-dua" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sign-dua" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio inventory" -eq 1' -fa 'export' -d 'Write the inventory on stdout as JSON manifests (the shape of physio\'s earlier manifests) or CSV.'
complete -c 'physio' -n '__physio_should_offer_completions_for_positional "physio inventory" -eq 1' -fa 'merge' -d 'Join the parts that `fetch --shard` recorded into the inventory, and report files no shard covered or that failed.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory export" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory export" json' -l 'json' -d 'Output format (default --json).'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory export" csv' -l 'csv' -d 'Output format (default --json).'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory export" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory merge" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory merge" json' -l 'json' -d 'Print the report as JSON on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory merge" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio inventory merge" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio init" file' -l 'file' -d 'Where to write it (default: ./physio.toml).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio init" force' -l 'force' -d 'Replace an existing file.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio init" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" file' -l 'file' -d 'The physio.toml to use (default: found from the current folder upwards).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" locked' -l 'locked' -d 'Hold every dataset to physio.lock: the locked version and exactly the locked file list, or fail (exit 7).'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" prune' -l 'prune' -d 'Delete files the server no longer lists, and the previous bytes of files it replaced, instead of keeping them in .physio/removed/ (locally edited files are kept anyway).'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" dry-run' -l 'dry-run' -d 'Say what a sync would fetch, replace, move aside or delete, with sizes, and change nothing.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" wait-lock' -l 'wait-lock' -d 'Wait up to this long for another physio run holding the same lock to finish (default: exit 10 at once).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" retries' -l 'retries' -d 'Retry each failed request N times, a server refusing connections included (default: [data] retries, else a refused connection for a minute and anything else 7 times; fetch gives a refused connection 5 s).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" interactive' -l 'interactive' -d 'Allow a login prompt when a dataset needs credentials none of the unattended sources gives.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync"' -l 'only' -d 'Sync only this dataset of physio.toml (repeatable); the others and their physio.lock entries stay as they are.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" json' -l 'json' -d 'Print the run summary as JSON on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" quiet' -l 'quiet' -d 'No progress output.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" progress-fd' -l 'progress-fd' -d 'Also write progress as JSON lines to this open file descriptor, 4 a second and once at the end.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio sync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" file' -l 'file' -d 'The physio.toml to use (default: found from the current folder upwards).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" all' -l 'all' -d 'List every dataset, current ones too.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" exit-code' -l 'exit-code' -d 'Exit 1 when any dataset is outdated.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" json' -l 'json' -d 'Print the list as JSON on stdout (each entry has `outdated`).'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio outdated" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio prune" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio prune" older-than' -l 'older-than' -d 'Remove entries of .physio/removed/ older than this: whole days or hours, such as 30d or 12h (0d: every entry).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio prune" old-versions' -l 'old-versions' -d 'Also remove old versions of datasets (older than another version under the root, and not declared by physio.toml).'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio prune" yes' -l 'yes' -d 'Remove what the dry run lists; without it nothing changes.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio prune" wait-lock' -l 'wait-lock' -d 'Wait up to this long for another physio run holding the same lock to finish (default: exit 10 at once).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio prune" json' -l 'json' -d 'Print the report as JSON on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio prune" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio prune" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio cite" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio cite" format' -l 'format' -d 'Output: text, bibtex or ris.' -rfka 'text bibtex ris'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio cite" file' -l 'file' -d 'The physio.toml to cite (default: found from the current folder upwards).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio cite" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio cite" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio search" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio search" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio search" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio search" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio search" json' -l 'json' -d 'Print a JSON array on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio search" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio search" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio versions" dest' -l 'dest' -d 'Data root (default: $PHYSIO_DATA, else the current directory).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio versions" base-url' -l 'base-url' -d 'PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio versions" allow-insecure-http' -l 'allow-insecure-http' -d 'Allow plain http:// to a host other than loopback.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio versions" proxy' -l 'proxy' -d 'Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio versions" cacert' -l 'cacert' -d 'CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).' -rfka ''
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio versions" json' -l 'json' -d 'Print a JSON array on stdout.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio versions" version' -l 'version' -d 'Show the version.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio versions" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'physio' -n '__physio_should_offer_completions_for_flags_or_options "physio help" version' -l 'version' -d 'Show the version.'
