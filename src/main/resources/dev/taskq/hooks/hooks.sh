# taskq's fast hooks: `taskq hook pre-tool-use | post-tool-use | user-prompt-submit`, written into
# the launcher by `taskq install` (dev.taskq.project.Launcher) and run with the launcher's own
# arguments ("hook <event>") instead of starting a JVM: they run on every tool call and every prompt
# of every session, so they must cost milliseconds. POSIX sh and builtins only, no subprocess. They
# only touch the small files that the session's taskq server keeps in <queue>/.taskq/sessions/<key>/
# (dev.taskq.hooks.SessionFiles), and do nothing when there is no such folder. `taskq hook` in the
# jar does the same where taskq runs without its launcher; HooksShellTest keeps the two alike.

taskq_hook_main() {
  [ "${TASKQ_HOOKS:-}" = off ] && return 0
  taskq_pid=${CLAUDE_PID:-}
  case $taskq_pid in '' | *[!0-9]*) return 0 ;; esac
  taskq_key=$taskq_pid
  taskq_proc_start "$taskq_pid" && taskq_key=$taskq_pid-$taskq_start
  taskq_find_queue || return 0
  taskq_s=$taskq_queue/.taskq/sessions/$taskq_key
  [ -d "$taskq_s" ] || return 0
  case ${1:-} in
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
  esac
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

taskq_hook_main "${2:-}"
