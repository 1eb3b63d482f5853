#!/bin/sh
# taskq @VERSION@ launcher, written by `taskq install`; `taskq install` rewrites it, so do not edit.
# It runs this version's jar with the start-up flags measured in bench/run and, for the Java it
# was installed with, the class-data archive that halves a server's start-up. Paths are fixed at
# install time; nothing here depends on the folder taskq is run in. POSIX sh, no subprocess on
# the way to `exec`: every Claude Code session waits for `taskq serve` to start.
TASKQ_VERSION='@VERSION@'
TASKQ_JAR='@JAR@'
TASKQ_ARCHIVE='@ARCHIVE@'
TASKQ_INSTALLED_JAVA='@JAVA@'

# Claude Code runs `taskq hook <event>` on every prompt and every tool call of every session of the
# project: those are answered here, in sh, without starting a JVM, and so are Stop and SessionStart
# when the session holds no claim (the rest of `taskq hook` runs in the jar).
if [ "${1:-}" = hook ]; then
@HOOKS@
  taskq_hook_main "${2:-}" && exit 0
fi

java=$TASKQ_INSTALLED_JAVA
archive=$TASKQ_ARCHIVE
if [ -n "${TASKQ_JAVA:-}" ] && [ "$TASKQ_JAVA" != "$java" ]; then
  # Another Java was asked for: the archive fits only the Java that made it.
  java=$TASKQ_JAVA
  archive=
elif [ ! -x "$java" ]; then
  if ! java=$(command -v java); then
    echo "taskq: $TASKQ_INSTALLED_JAVA is gone and no java is on PATH; install Java 17 or newer, then run \`taskq install\` again" >&2
    exit 1
  fi
  archive=
fi
if [ ! -f "$TASKQ_JAR" ]; then
  echo "taskq: $TASKQ_JAR is missing; install taskq again (\`./taskq install\` in a taskq clone)" >&2
  exit 1
fi

# Lets taskq print commands the way they can be run ("taskq status").
TASKQ_LAUNCHER=$0
export TASKQ_LAUNCHER
# Shells keep COLUMNS to themselves; pass a terminal's width on so `taskq status` fits it. Only on
# a terminal: serve's stdout is a pipe, so a session's start spawns nothing here.
if [ -t 1 ] && [ -z "${COLUMNS:-}" ] && cols=$(tput cols 2>/dev/null); then
  COLUMNS=$cols
  export COLUMNS
fi

# A missing archive costs only speed; one that no longer fits (the Java was upgraded) is ignored
# by the JVM silently (-Xlog:disable) and `taskq doctor` says to re-make it.
if [ -n "$archive" ] && [ -f "$archive" ]; then
  exec "$java" "-XX:SharedArchiveFile=$archive" @FLAGS@ -jar "$TASKQ_JAR" "$@"
fi
exec "$java" @FLAGS@ -jar "$TASKQ_JAR" "$@"
