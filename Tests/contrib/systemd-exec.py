#!/usr/bin/env python3
"""Runs a service unit's ExecStart= the way systemd does, for tests: without a shell.

    systemd-exec.py UNIT [--drop-in FILE]... [--credentials-dir DIR] [--map OLD=NEW]...

What it does, as systemd(1), systemd.exec(5) and systemd.service(5) describe it, for the [Service] keys the
units in contrib/ use:
- reads UNIT and then each drop-in (later assignments of Environment= add to earlier ones);
- LoadCredential=ID:PATH copies PATH into the credentials folder as ID (mode 0400) and sets
  CREDENTIALS_DIRECTORY; the specifier %d is that folder (%% is %; any other specifier is refused);
- Environment= assignments are split as systemd splits them (whitespace, with "" and '' quoting);
- ExecStart= is split into words the same way; ${NAME} is replaced anywhere in a word and $NAME as a whole
  word (split on whitespace), from the unit's environment only; the prefixes @ - : + ! are honoured as far
  as they change the command line (":" turns expansion off, "@" gives argv[0]);
- WorkingDirectory= is the folder the command starts in;
- the command is started with exactly that environment (nothing inherited), by execve, never by a shell.
--map OLD=NEW replaces the path OLD (the installed physio, the data root, the credential's source) with NEW
in ExecStart= (anywhere in a word), WorkingDirectory= and LoadCredential=; each map must be used, or the unit no longer says what
the test thinks. Exits with the command's exit status, or 2 on a unit it cannot run faithfully.
"""
import os
import re
import shlex
import shutil
import sys
import tempfile


def die(message):
    print(f"systemd-exec.py: {message}", file=sys.stderr)
    sys.exit(2)


def service_assignments(path):
    """(key, value) of the [Service] section, in order, with continuation lines joined."""
    section, pending, out = None, "", []
    for raw in open(path, encoding="utf-8").read().split("\n"):
        line = pending + raw.strip() if pending else raw.strip()
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        if section == "Service":
            key, _, value = line.partition("=")
            out.append((key.strip(), value.strip()))
    return out


def specifiers(value, credentials):
    def one(match):
        letter = match.group(1)
        if letter == "%":
            return "%"
        if letter == "d":
            return credentials
        die(f"the specifier %{letter} is not supported by this emulation")
    return re.sub(r"%(.)", one, value)


def words(value):
    lexer = shlex.shlex(value, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def expand(argv, environment):
    out = []
    for word in argv:
        whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if whole:
            out.extend(environment.get(whole.group(1), "").split())
            continue
        out.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: environment.get(m.group(1), ""), word))
    return out


def main(args):
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    unit, drop_ins, maps, credentials = args[0], [], {}, None
    rest = args[1:]
    while rest:
        option = rest.pop(0)
        if not rest:
            die(f"{option} needs a value")
        value = rest.pop(0)
        if option == "--drop-in":
            drop_ins.append(value)
        elif option == "--map":
            old, _, new = value.partition("=")
            maps[old] = new
        elif option == "--credentials-dir":
            credentials = value
        else:
            die(f"unknown option {option}")
    used = set()

    def mapped(path):
        for old, new in maps.items():
            if path == old or path.startswith(old + "/"):
                used.add(old)
                return new + path[len(old):]
        return path

    def replaced(word):
        # Anywhere in a word: a shell command line in ExecStart= names the paths inside its one argument.
        for old, new in maps.items():
            if old in word:
                used.add(old)
                word = word.replace(old, new)
        return word

    credentials = credentials or tempfile.mkdtemp(prefix="credentials.")
    environment, exec_start, directory = {}, None, None
    for path in [unit] + drop_ins:
        for key, value in service_assignments(path):
            if key == "LoadCredential":
                name, _, source = value.partition(":")
                target = os.path.join(credentials, name)
                shutil.copyfile(mapped(source), target)
                os.chmod(target, 0o400)
                environment["CREDENTIALS_DIRECTORY"] = credentials
            elif key == "Environment":
                for assignment in words(specifiers(value, credentials)):
                    name, equals, text = assignment.partition("=")
                    if not equals:
                        die(f"Environment={value}: {assignment} is not NAME=VALUE")
                    environment[name] = text
            elif key == "ExecStart":
                if exec_start is not None:
                    die("more than one ExecStart= (only Type=oneshot may have several; not emulated)")
                exec_start = value
            elif key == "WorkingDirectory":
                directory = mapped(specifiers(value.lstrip("-"), credentials))
            elif key in ("EnvironmentFile", "ExecStartPre", "ExecStartPost", "ExecCondition", "PassEnvironment",
                         "UnsetEnvironment", "SetCredential", "LoadCredentialEncrypted", "RootDirectory"):
                die(f"{key}= is not emulated; extend this script before using it in a unit")
    if exec_start is None:
        die(f"{unit} has no ExecStart=")
    prefixes = re.match(r"[@\-:+!]*", exec_start).group(0)
    argv = words(specifiers(exec_start[len(prefixes):], credentials))
    if ":" not in prefixes:
        argv = expand(argv, environment)
    argv = [replaced(word) for word in argv]
    unused = set(maps) - used
    if unused:
        die(f"the unit no longer names {', '.join(sorted(unused))}")
    executable = argv[0]
    if "@" in prefixes:
        argv = argv[1:]
    if not os.path.isabs(executable):
        die(f"ExecStart={exec_start}: the emulation needs an absolute path")
    print("systemd-exec.py: " + " ".join(shlex.quote(a) for a in argv), file=sys.stderr)
    if directory:
        os.chdir(directory)
    os.execve(executable, argv, environment)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
