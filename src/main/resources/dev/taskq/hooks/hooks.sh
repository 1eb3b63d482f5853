# taskq's hooks in sh, written into the launcher by `taskq install` (dev.taskq.project.Launcher),
# which calls taskq_hook_main before it would start a JVM. PreToolUse, PostToolUse and
# UserPromptSubmit run on every tool call and every prompt of every session, so they are answered
# here in milliseconds; Stop and SessionStart are answered here when the session clearly holds no
# claim, else by the JVM. POSIX sh and builtins only, no subprocess. They only touch the small files
# that the session's taskq server keeps in <queue>/.taskq/sessions/<key>/ (dev.taskq.hooks.
# SessionFiles), and do nothing when there is no such folder. `taskq hook` in the jar does the same
# where taskq runs without its launcher; HooksShellTest keeps the two alike.

# Answers `taskq hook $1` and returns 0, or returns 1 when the JVM must answer it (the launcher then
# goes on to start it). Stop and SessionStart need the JVM only when the session may hold a claim:
# a session whose server keeps its folder without a claims.json holds none.
taskq_hook_main() {
  [ "${TASKQ_HOOKS:-}" = off ] && return 0
  case ${1:-} in
    pre-tool-use | post-tool-use | user-prompt-submit | stop | session-start) ;;
    *) return 1 ;;
  esac
  if [ "$1" = session-start ]; then
    taskq_input=
    while IFS= read -r taskq_line || [ -n "$taskq_line" ]; do
      taskq_input="$taskq_input$taskq_line
"
    done
    # The JVM, if it runs, gets the JSON this way: its stdin has been read.
    TASKQ_HOOK_INPUT=$taskq_input
    export TASKQ_HOOK_INPUT
    case $taskq_input in
      *'"source":"startup"'* | *'"source": "startup"'*)
        # A new session holds nothing yet, unless it is a worker taking over from its namesake.
        [ -z "${TASKQ_HOLDER:-}" ] && return 0
        return 1
        ;;
      *'"source":"compact"'* | *'"source": "compact"'* | *'"source":"clear"'* | *'"source": "clear"'*) ;;
      *) return 1 ;;
    esac
  fi
  taskq_pid=${CLAUDE_PID:-}
  case $taskq_pid in '' | *[!0-9]*) taskq_fast_or_jvm "$1" ; return ;; esac
  taskq_key=$taskq_pid
  taskq_proc_start "$taskq_pid" && taskq_key=$taskq_pid-$taskq_start
  if ! taskq_find_queue; then
    taskq_fast_or_jvm "$1"
    return
  fi
  taskq_s=$taskq_queue/.taskq/sessions/$taskq_key
  if [ ! -d "$taskq_s" ]; then
    taskq_fast_or_jvm "$1"
    return
  fi
  case $1 in
    pre-tool-use) printf 1 2>/dev/null >"$taskq_s/activity" ;;
    post-tool-use) printf 0 2>/dev/null >"$taskq_s/activity" ;;
    user-prompt-submit)
      taskq_seq=0
      if [ -f "$taskq_s/news" ]; then
        {
          IFS= read -r taskq_first
          case $taskq_first in
            '' | *[!0-9]*) ;;
            *)
              taskq_seq=$taskq_first
              while IFS= read -r taskq_line || [ -n "$taskq_line" ]; do
                printf '%s\n' "$taskq_line"
              done
              ;;
          esac
        } 2>/dev/null <"$taskq_s/news"
      fi
      printf '%s' "$taskq_seq" 2>/dev/null >"$taskq_s/prompt"
      ;;
    stop | session-start)
      # The server keeps this folder and holds no claim: nothing to print back, nothing to save.
      [ -f "$taskq_s/server" ] && [ ! -f "$taskq_s/claims.json" ] && return 0
      return 1
      ;;
  esac
  return 0
}

# Without a session folder the fast hooks have nothing to do; Stop and SessionStart ask the JVM,
# which can look the session's claims up in the store.
taskq_fast_or_jvm() {
  case $1 in stop | session-start) return 1 ;; esac
  return 0
}

# The start of process $1 in clock ticks since boot (field 22 of /proc/<pid>/stat) into
# $taskq_start, as dev.taskq.hooks.SessionKey reads it. False where there is no /proc.
taskq_proc_start() {
  [ -r "/proc/$1/stat" ] || return 1
  IFS= read -r taskq_stat 2>/dev/null <"/proc/$1/stat" || return 1
  # After the command, which is in parentheses and may itself hold spaces or ')'.
  set -- ${taskq_stat##*) }
  [ $# -ge 20 ] || return 1
  shift 19
  taskq_start=$1
  case $taskq_start in '' | *[!0-9]*) return 1 ;; esac
}

# The session's queue into $taskq_queue, as dev.taskq.project.QueueFinder.forSession finds it:
# TASKQ_DIR, else the nearest tasks/ at or above CLAUDE_PROJECT_DIR (or the working folder), in a
# linked git worktree starting from the same folder in the main checkout. Only queues a server has
# used count (they have .taskq/ or pending/): without one there is no session folder to touch.
taskq_find_queue() {
  if [ -n "${TASKQ_DIR:-}" ]; then
    case $TASKQ_DIR in /*) taskq_queue=$TASKQ_DIR ;; *) taskq_queue=$PWD/$TASKQ_DIR ;; esac
    return 0
  fi
  taskq_d=${CLAUDE_PROJECT_DIR:-$PWD}
  case $taskq_d in /*) ;; *) taskq_d=$PWD/$taskq_d ;; esac
  taskq_main_checkout "$taskq_d"
  while :; do
    if [ -d "$taskq_d/tasks/.taskq" ] || [ -d "$taskq_d/tasks/pending" ]; then
      taskq_queue=$taskq_d/tasks
      return 0
    fi
    case $taskq_d in '' | /) return 1 ;; esac
    taskq_d=${taskq_d%/*}
  done
}

# In a linked git worktree, $taskq_d becomes the same folder in the main checkout.
taskq_main_checkout() {
  taskq_top=$1
  while :; do
    [ -d "$taskq_top/.git" ] && return 0
    [ -f "$taskq_top/.git" ] && break
    case $taskq_top in '' | /) return 0 ;; esac
    taskq_top=${taskq_top%/*}
  done
  IFS= read -r taskq_ptr 2>/dev/null <"$taskq_top/.git" || return 0
  case $taskq_ptr in gitdir:*) ;; *) return 0 ;; esac
  taskq_gd=${taskq_ptr#gitdir:}
  taskq_gd=${taskq_gd# }
  case $taskq_gd in /*) ;; *) taskq_gd=$taskq_top/$taskq_gd ;; esac
  IFS= read -r taskq_cd 2>/dev/null <"$taskq_gd/commondir" || return 0
  case $taskq_cd in /*) taskq_common=$taskq_cd ;; *) taskq_common=$taskq_gd/$taskq_cd ;; esac
  # Only here a subshell (no exec), to fold the ".." away: worktrees only.
  taskq_common=$(cd -- "$taskq_common" 2>/dev/null && pwd) || return 0
  case $taskq_common in */.git) ;; *) return 0 ;; esac
  taskq_d=${taskq_common%/.git}${1#"$taskq_top"}
}

