"""Every command and link the README and docs/ show is real (issue #13).

Commands are checked against the surface they name, without running them:
- a `lac ...` line of a shell code block (sh, bash, console, cron) parses with the `lac` command's
  own parser (`lac_connector.cli.build_parser`; `lac sandbox ...` with the sandbox's);
- a usage synopsis (`lac run [--flag X] ...`, in any code block) and an inline `lac <command> ...`
  name a command that exists and only flags it has;
- `make <target>` names a target of the Makefile;
- `python -m <module> ...` names a module that exists, and parses with its parser where it has one;
  `pytest <path>` and `python <script>` name files that exist.
Relative links (and their `#anchors`) point at files and headings that exist.

What the commands *do* is tested elsewhere: the first hour the README walks through (`lac run`,
`lac transform`, an incremental `lac run`, `lac status`, `--project-dir` / `DLT_PROJECT_DIR`, the key
in `.dlt/secrets.toml`) runs as written in tests/pipelines/test_first_hour.py, `make test` is what
CI runs (.ci/run), and `lac demo` (`make demo`) runs in tests/dashboard/conftest.py. README's SQL
runs below, on a small sync.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import io
import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import support

from lac_connector import cli

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Pages linked before they exist: another branch is adding them. Each must be missing here; once
# it exists, remove it from this set (the link check then covers it).

SHELL_FENCES = {"sh", "bash", "shell", "console", "cron"}
PROGRAMS = {"lac", "make", "python", "python3", "pytest"}
COMMAND_START = re.compile(
    r"(?:^|&&|;|\|)\s*(?:\$\s+)?(?:[A-Za-z_]\w*=\S*\s+)*(?:\S*/)?(?:" + "|".join(PROGRAMS) + r")(?:\s|$)"
)
PLACEHOLDER = re.compile(r"<[^<>\s][^<>]*>")  # <printed read key>, <tag or commit>
FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
# Inline `lac <command> ...`, `make <target>`, `python -m <module>` (not `lac <command> -h`).
INLINE_COMMAND = re.compile(r"(?:[A-Z_]\w*=\S*\s+)*(?:\S*/)?(?:lac|make|python3? -m)\s+[a-z]")
REDIRECT = re.compile(r"^\d*[<>]")
CONTROL = {"&&", "||", ";", "|"}


@dataclass(frozen=True)
class Command:
    page: Path
    line: int
    text: str
    synopsis: bool  # a usage line (`[--flag X]`): only the command and its flag names are checked

    def where(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}: {self.text}"


@dataclass(frozen=True)
class Block:
    fence: str
    first_line: int
    lines: list[str]


def split_page(text: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """The fenced code blocks of a markdown page, and its prose lines (numbered from 1)."""
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    fence: tuple[str, str, int, list[str]] | None = None  # marker, info, first line, lines
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if fence is None:
            opening = re.match(r"(`{3,}|~{3,})\s*([\w-]*)", stripped)
            if opening:
                fence = (opening.group(1), opening.group(2).lower(), number + 1, [])
            else:
                prose.append((number, line))
        elif stripped.startswith(fence[0]) and not stripped.strip(fence[0][0]).strip():
            blocks.append(Block(fence[1], fence[2], fence[3]))
            fence = None
        else:
            fence[3].append(line)
    return blocks, prose


def logical_lines(block: Block) -> Iterator[tuple[int, str]]:
    """Lines of a block, comments dropped, `\\` continuations and indented `[...]` synopsis lines joined."""
    current: tuple[int, str] | None = None
    for offset, line in enumerate(block.lines):
        line = re.sub(r"\s+#(\s.*)?$", "", line)
        if current and (current[1].endswith("\\") or re.match(r"\s+\[", line)):
            current = (current[0], current[1].rstrip("\\").rstrip() + " " + line.strip())
            continue
        if current:
            yield current
        current = (block.first_line + offset, line.strip())
    if current:
        yield current


def commands_of(page: Path) -> Iterator[Command]:
    blocks, prose = split_page(page.read_text(encoding="utf-8"))
    for block in blocks:
        shell = block.fence in SHELL_FENCES
        if not shell and block.fence:
            continue  # python, sql, toml, json, yaml: not shell commands
        for number, line in logical_lines(block):
            if block.fence == "cron" and re.match(r"([\d*/,-]+\s+){5}", line):
                line = re.sub(r"^([\d*/,-]+\s+){5}", "", line)
            synopsis = "[" in line
            if COMMAND_START.search(line) and (shell or synopsis):
                yield Command(page, number, line, synopsis)
    for number, line in prose:
        for span in re.findall(r"`([^`]+)`", line):
            if INLINE_COMMAND.match(PLACEHOLDER.sub("X", span)):
                yield Command(page, number, span, synopsis=True)


def segments(command: Command) -> Iterator[list[str]]:
    """The simple commands of a line (split at `&&`, `;`, `|`), without redirections and
    leading `NAME=value` assignments."""
    text = PLACEHOLDER.sub("X", command.text)
    text = re.sub(r"^\$\s+", "", text)
    tokens = shlex.split(text, comments=True)
    current: list[str] = []
    for token in [*tokens, ";"]:
        if token not in CONTROL:
            current.append(token)
            continue
        while current and re.match(r"[A-Za-z_]\w*=", current[0]):
            current.pop(0)
        if current:
            yield current
        current = []


def without_redirections(tokens: list[str]) -> list[str]:
    for index, token in enumerate(tokens):
        if REDIRECT.match(token):
            return tokens[:index]
    return tokens


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def sandbox_parser() -> argparse.ArgumentParser:
    from lac_sandbox.cli import build_parser

    return build_parser()


def parse_problem(parser: argparse.ArgumentParser, args: list[str]) -> str | None:
    """argparse's own error for `args`, or None when they parse (`-h` / `--version` included)."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            parser.parse_args(args)
    except SystemExit as exit_:
        if exit_.code:
            return stderr.getvalue().strip().splitlines()[-1]
    return None


def flags_problem(parser: argparse.ArgumentParser, text: str) -> str | None:
    known = {option for action in parser._actions for option in action.option_strings}
    unknown = sorted(set(FLAG.findall(text)) - known)
    return f"unknown flag(s) {', '.join(unknown)}" if unknown else None


def lac_problem(args: list[str], synopsis: bool) -> str | None:
    """What is wrong with `lac <args>`, dispatched as `lac_connector.cli.main` does."""
    parser, rest = cli.build_parser(), args
    if args[:1] == ["sandbox"]:
        parser, rest = sandbox_parser(), args[1:]
    elif args and not args[0].startswith("-"):
        commands = subparsers(parser)
        if args[0] not in commands:
            return f"no command {args[0]!r}"
        if synopsis:
            parser, rest = commands[args[0]], args[1:]
    return flags_problem(parser, " ".join(rest)) if synopsis else parse_problem(parser, rest)


def make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, re.M)}


def module_parsers() -> dict[str, Callable[[], argparse.ArgumentParser]]:
    """Modules run with `python -m` whose argparse parser can be built without running them."""

    def from_module(name: str) -> Callable[[], argparse.ArgumentParser]:
        return lambda: importlib.import_module(name).build_parser()

    return {
        "lac_connector": cli.build_parser,
        "lac_sandbox": from_module("lac_sandbox.cli"),
        "ledgerlou_sandbox": from_module("ledgerlou_sandbox.cli"),
        "benchmarks": from_module("benchmarks.__main__"),
    }


def python_problem(args: list[str]) -> str | None:
    if args[:1] == ["-m"] and len(args) > 1:
        module, rest = args[1], args[2:]
        if module == "lac_connector":
            return lac_problem(rest, synopsis=False)
        if module == "pytest":
            return pytest_problem(rest)
        if importlib.util.find_spec(module) is None:
            return f"no module {module!r}"
        build = module_parsers().get(module)
        return parse_problem(build(), rest) if build else None
    if args and args[0].endswith(".py") and not (REPO / args[0]).is_file():
        return f"no script {args[0]}"
    return None


def pytest_problem(args: list[str]) -> str | None:
    missing = [a for a in args if not a.startswith("-") and not (REPO / a.split("::")[0]).exists()]
    return f"no such test path(s) {', '.join(missing)}" if missing else None


def command_problems(command: Command) -> list[str]:
    try:
        simple_commands = list(segments(command))
    except ValueError as exc:  # unbalanced quotes
        return [f"cannot split into words ({exc})"]
    problems = []
    for tokens in simple_commands:
        tokens = without_redirections(tokens)
        if not tokens:
            continue
        program, args = Path(tokens[0]).name, tokens[1:]
        if program == "lac":
            problem = lac_problem(args, command.synopsis)
        elif program == "make":
            missing = [a for a in args if not a.startswith("-") and "=" not in a and a not in make_targets()]
            problem = f"no Makefile target(s) {', '.join(missing)}" if missing else None
        elif program in ("python", "python3"):
            problem = python_problem(args)
        elif program == "pytest":
            problem = pytest_problem(args)
        else:
            problem = None  # cd, export, cp, pip, dbt, ...: not ours to check
        if problem:
            problems.append(problem)
    return problems


@pytest.fixture(scope="module")
def documented() -> list[Command]:
    return [command for page in PAGES for command in commands_of(page)]


def test_the_readme_commands_are_found(documented):
    """The extraction sees what a reader of the README types (so the checks below check something)."""
    readme = {
        " ".join(without_redirections(tokens))
        for command in documented
        if command.page.name == "README.md" and not command.synopsis
        for tokens in segments(command)
    }
    assert {"make demo", "make test", "make venv"} <= readme
    assert {".venv/bin/lac run", ".venv/bin/lac status", ".venv/bin/lac dashboard"} <= readme
    assert "lac run --source ledgerlou" in readme


def test_every_documented_command_exists_with_its_flags(documented):
    problems = [f"{c.where()}\n    -> {p}" for c in documented for p in command_problems(c)]
    assert problems == [], "\n".join(problems)


def test_the_checks_catch_a_wrong_command():
    page = REPO / "README.md"
    wrong = [
        Command(page, 1, "lac run --no-such-flag", synopsis=False),
        Command(page, 1, "lac sync", synopsis=False),
        Command(page, 1, "lac status [--destination NAME] [--resources X]", synopsis=True),
        Command(page, 1, "lac sandbox --port eighty", synopsis=False),
        Command(page, 1, "cd /srv && make deploy", synopsis=False),
        Command(page, 1, "python -m lac_nowhere", synopsis=False),
        Command(page, 1, "LAC=1 .venv/bin/pytest tests/nowhere.py", synopsis=False),
    ]
    assert [command_problems(c) for c in wrong] == [
        ["lac: error: unrecognized arguments: --no-such-flag"],
        ["no command 'sync'"],
        ["unknown flag(s) --resources"],
        ["lac sandbox: error: argument --port: invalid int value: 'eighty'"],
        ["no Makefile target(s) deploy"],
        ["no module 'lac_nowhere'"],
        ["no such test path(s) tests/nowhere.py"],
    ]


def anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered."""
    _, prose = split_page(page.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    for _, line in prose:
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if count:
            seen[f"{slug}-{count}"] = 1
    return set(seen)


def link_problems(page: Path) -> Iterator[str]:
    _, prose = split_page(page.read_text(encoding="utf-8"))
    for number, line in prose:
        line = re.sub(r"`[^`]*`", "", line)
        for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", line):
            if re.match(r"[a-z][\w+.-]*:", target):  # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists():
                yield f"{page.name}:{number}: {target} -> no such file"
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                yield f"{page.name}:{number}: {target} -> no heading #{anchor}"


def test_every_relative_link_points_at_something_that_exists():
    problems = [problem for page in PAGES for problem in link_problems(page)]
    assert problems == [], "\n".join(problems)


def test_the_link_check_catches_a_wrong_link(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# A page\n\n## Two words: here\n\n[ok](#two-words-here) [`code`](page.md#a-page)\n"
        "[gone](missing.md) [no anchor](#nowhere) `[not a link](missing.md)`\n"
        "```\n[in a block](missing.md)\n```\n",
        encoding="utf-8",
    )
    assert list(link_problems(page)) == [
        "page.md:6: missing.md -> no such file",
        "page.md:6: #nowhere -> no heading #nowhere",
    ]


def test_the_readme_sql_runs_on_a_synced_warehouse(tmp_path):
    """README's SQL examples, on a small sync (one table) of the sandbox."""
    blocks, _ = split_page((REPO / "README.md").read_text(encoding="utf-8"))
    queries = ["\n".join(b.lines) for b in blocks if b.fence == "sql"]
    assert len(queries) == 1
    config = {"months": 2, "rows_per_month": 10, "invoices": 2}
    with support.loaded_sandbox("duckdb", tmp_path, config, resources=["company"]) as loaded:
        finished = loaded.rows("select finished_at from {ds}.sync_coverage where outcome = 'ok'")
        assert loaded.rows(queries[0].replace("lac_dataset.", "{ds}.")) == [("company", finished[0][0])]
