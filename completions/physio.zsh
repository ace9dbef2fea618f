#compdef physio

__physio_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__physio_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __physio_complete "${completions[@]:0:-1}"
    fi
}

__physio_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_physio() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'fetch:Download a dataset version, verified against SHA256SUMS.txt, resuming what is partial.'
            'verify:Check local datasets against the inventory (stat facts, or full SHA-256 with --full).'
            'list:Show the datasets under the data root with sizes, file counts and state.'
            'login:Log in to PhysioNet and keep the session for later commands.'
            'logout:End the saved PhysioNet session and delete it.'
            'whoami:Show the saved PhysioNet login and whether the server still accepts it.'
            'status:Show your PhysioNet account and, per project, exactly which access requirement is missing.'
            'sign-dua:Read and sign a project version'\''s data use agreement (interactive only).'
            'inventory:Read or join the data root'\''s inventory (<dest>/.physio/inventory.sqlite).'
            'init:Write a commented physio.toml to start from.'
            'sync:Bring the data root to what physio.toml declares, and write physio.lock.'
            'outdated:List datasets with a newer published version, without syncing.'
            'prune:Remove old entries of .physio/removed/ and, with --old-versions, old versions of datasets (a dry run without --yes).'
            'cite:Print how to cite datasets (and PhysioNet), offline, from what fetch and sync recorded.'
            'search:Find published projects by a word of their slug, title or abstract.'
            'versions:List a project'\''s published versions with their dates, and which are under the data root.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        fetch|verify|list|login|logout|whoami|status|sign-dua|inventory|init|sync|outdated|prune|cite|search|versions|help)
            "_physio_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_physio_fetch() {
    local -i ret=1
    local -ar ___layout=('physio' 'wget')
    local -ar arg_specs=(
        ':dataset:'
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '*--include[Only files matching this glob (repeatable).]:include:'
        '*--exclude[Skip files matching this glob (repeatable).]:exclude:'
        '-j[Parallel transfers (default 4 from PhysioNet, at most 8 without --force; 16 from a mirror, at most 64).]:j:'
        '--source[Where the bytes come from\: physionet, aws-open (PhysioNet'\''s AWS Open Data bucket), s3\://BUCKET\[/PREFIX\], gs\://BUCKET\[/PREFIX\], or auto (aws-open when it has the version). The list and hashes always come from PhysioNet.]:source:'
        '--billing-project[The Google Cloud project billed for a requester-pays gs\:// mirror (default\: $GOOGLE_CLOUD_PROJECT).]:project:'
        '--no-fallback[With a mirror\: a file the mirror lacks or serves differently fails instead of coming from PhysioNet.]'
        '--force[Allow -j above 8 (PhysioNet times out around 24 connections), beyond the machine-wide connection cap too.]'
        '--no-split[Never split a file across connections (by default large files may use spare connections, up to 2 x -j, at most 8).]'
        '--dry-run[List what would be fetched, with sizes where known, and download nothing.]'
        '--trust-server[Accept a server SHA256SUMS.txt that differs from the copy pinned in physio.]'
        '--layout[Folder layout\: physio (<dest>/<slug>/<version>) or wget (<dest>/<host>/files/<slug>/<version>).]:layout:{__physio_complete "${___layout[@]}"}'
        '--auth[Authentication\: session (the saved `physio login`, default) or wget-basic (HTTP Basic sent with a Wget/ User-Agent; impersonates wget).]:auth:'
        '--json[Print one JSON summary on stdout.]'
        '--shard[Cover only part I of N of the file list (I from 0), or '\''auto'\'' to take it from a Slurm job array or a Kubernetes Indexed Job.]:I/N|auto:'
        '--shards[With --shard auto under Kubernetes\: the Job'\''s completions count.]:N:'
        '--wait-lock[Wait up to this long for another physio run holding the same lock to finish (default\: exit 10 at once).]:seconds:'
        '--retries[Retry each failed request N times, a server refusing connections included (default\: 7 times, but a refused connection only for 5 s, so a dead server fails fast).]:N:'
        '--quiet[No progress output.]'
        '--progress-fd[Also write progress as JSON lines to this open file descriptor, 4 a second and once at the end.]:n:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_verify() {
    local -i ret=1
    local -ar arg_specs=(
        '*:datasets:'
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--full[Re-hash every file (in parallel across cores) instead of comparing size, mtime and inode.]'
        '--json[Print a JSON array of reports on stdout.]'
        '--shard[Cover only part I of N of the file list (I from 0), or '\''auto'\'' to take it from a Slurm job array or a Kubernetes Indexed Job.]:I/N|auto:'
        '--shards[With --shard auto under Kubernetes\: the Job'\''s completions count.]:N:'
        '--quiet[Print nothing when every file checks out; only what is wrong otherwise.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--json[Print a JSON array on stdout.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_login() {
    local -i ret=1
    local -ar arg_specs=(
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--username[PhysioNet username or primary e-mail.]:username:'
        '--password-stdin[Read the password from the first line of standard input.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_logout() {
    local -i ret=1
    local -ar arg_specs=(
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_whoami() {
    local -i ret=1
    local -ar arg_specs=(
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--json[Print JSON on stdout.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_status() {
    local -i ret=1
    local -ar arg_specs=(
        '*:datasets:'
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--json[Print one JSON object on stdout.]'
        '--quiet[Print nothing when every named project is accessible; only what is missing otherwise (on stderr).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_sign-dua() {
    local -i ret=1
    local -ar arg_specs=(
        ':dataset:'
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_inventory() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'export:Write the inventory on stdout as JSON manifests (the shape of physio'\''s earlier manifests) or CSV.'
            'merge:Join the parts that `fetch --shard` recorded into the inventory, and report files no shard covered or that failed.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        export|merge)
            "_physio_inventory_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_physio_inventory_export() {
    local -i ret=1
    local -ar arg_specs=(
        '*:datasets:'
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--json[Output format (default --json).]'
        '--csv[Output format (default --json).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_inventory_merge() {
    local -i ret=1
    local -ar arg_specs=(
        ':dataset:'
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--json[Print the report as JSON on stdout.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_init() {
    local -i ret=1
    local -ar arg_specs=(
        '--file[Where to write it (default\: ./physio.toml).]:path:'
        '--force[Replace an existing file.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_sync() {
    local -i ret=1
    local -ar arg_specs=(
        '--file[The physio.toml to use (default\: found from the current folder upwards).]:path:'
        '--locked[Hold every dataset to physio.lock\: the locked version and exactly the locked file list, or fail (exit 7).]'
        '--prune[Delete files the server no longer lists, and the previous bytes of files it replaced, instead of keeping them in .physio/removed/ (locally edited files are kept anyway).]'
        '--dry-run[Say what a sync would fetch, replace, move aside or delete, with sizes, and change nothing.]'
        '--wait-lock[Wait up to this long for another physio run holding the same lock to finish (default\: exit 10 at once).]:seconds:'
        '--retries[Retry each failed request N times, a server refusing connections included (default\: \[data\] retries, else a refused connection for a minute and anything else 7 times; fetch gives a refused connection 5 s).]:N:'
        '--interactive[Allow a login prompt when a dataset needs credentials none of the unattended sources gives.]'
        '*--only[Sync only this dataset of physio.toml (repeatable); the others and their physio.lock entries stay as they are.]:slug:'
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--json[Print the run summary as JSON on stdout.]'
        '--quiet[No progress output.]'
        '--progress-fd[Also write progress as JSON lines to this open file descriptor, 4 a second and once at the end.]:n:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_outdated() {
    local -i ret=1
    local -ar arg_specs=(
        '--file[The physio.toml to use (default\: found from the current folder upwards).]:path:'
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--all[List every dataset, current ones too.]'
        '--exit-code[Exit 1 when any dataset is outdated.]'
        '--json[Print the list as JSON on stdout (each entry has `outdated`).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_prune() {
    local -i ret=1
    local -ar arg_specs=(
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--older-than[Remove entries of .physio/removed/ older than this\: whole days or hours, such as 30d or 12h (0d\: every entry).]:age:'
        '--old-versions[Also remove old versions of datasets (older than another version under the root, and not declared by physio.toml).]'
        '--yes[Remove what the dry run lists; without it nothing changes.]'
        '--wait-lock[Wait up to this long for another physio run holding the same lock to finish (default\: exit 10 at once).]:seconds:'
        '--json[Print the report as JSON on stdout.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_cite() {
    local -i ret=1
    local -ar ___format=('text' 'bibtex' 'ris')
    local -ar arg_specs=(
        '*:datasets:'
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--format[Output\: text, bibtex or ris.]:format:{__physio_complete "${___format[@]}"}'
        '--file[The physio.toml to cite (default\: found from the current folder upwards).]:path:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_search() {
    local -i ret=1
    local -ar arg_specs=(
        ':term:'
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--json[Print a JSON array on stdout.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_versions() {
    local -i ret=1
    local -ar arg_specs=(
        ':slug:'
        '--dest[Data root (default\: $PHYSIO_DATA, else the current directory).]:dest:'
        '--base-url[PhysioNet base URL (default\: $PHYSIO_BASE_URL, else https\://physionet.org).]:base-url:'
        '--allow-insecure-http[Allow plain http\:// to a host other than loopback.]'
        '--proxy[Proxy URL (default\: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.]:proxy:'
        '--cacert[CA certificates to trust, PEM (default\: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).]:cacert:'
        '--json[Print a JSON array on stdout.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_physio_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _physio ]]; then
    _physio "${@}"
else
    compdef _physio physio
fi
