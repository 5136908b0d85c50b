/**
 * Shell completion: a bash (or zsh, through bashcompinit) script completing the commands and each
 * command's options, written from the CLI's own definition so it never falls out of step.
 */
import type { Command } from "commander";

/** The option flags of a command, help included (`--mass`, `-o`, `--out`, …). */
function flagsOf(command: Command): string[] {
  const flags = command.options.flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)));
  return [...flags, "--help"];
}

/**
 * The completion script for `program` (commander offers none): commands after `bumpscan`, then
 * the options of the command typed, else file names (test/cli.test.ts runs it in bash).
 */
export function completionScript(program: Command): string {
  const name = program.name();
  const commands = program.commands.map((c) => c.name());
  const cases = program.commands.map((c) => `    ${c.name()}) opts="${flagsOf(c).join(" ")}" ;;`);
  return `# ${name} completion for bash; zsh: autoload -U bashcompinit && bashcompinit first
# install: ${name} completion >> ~/.bashrc   (or: source <(${name} completion))
_${name}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.join(" ")} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join("\n")}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _${name} ${name}
`;
}
