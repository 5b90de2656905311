"""Command-line options read as Perl's Getopt::Long reads them (for ``rpmdep``).

The subset rpmorphan's scripts use, with ``Getopt::Long::Configure('no_ignore_case')``:
options start with one dash or two (``-dot`` is ``--dot``), a long name may be cut to any
unique prefix (``-verb``), names are case-sensitive, ``name=s`` takes a value from
``--name=VALUE`` or from the next argument (whatever it looks like), ``name!`` also
accepts ``noname`` and ``no-name``, ``a|b`` gives aliases, ``--`` ends the options and
arguments may come before options (Getopt::Long's default "permute" order). Errors are
Getopt::Long's own messages (``Unknown option: x``, ``Option x is ambiguous (a, b)``,
``Option x requires an argument``, ``Option x does not take an argument``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One option as Getopt::Long declares it: ``'help|?'``, ``'dot=s'``, ``'use-cache!'``.
    ``exact`` options are matched by their whole name only, never by a prefix (so that
    new options do not make old abbreviations ambiguous)."""

    spec: str
    exact: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.spec.rstrip("!").split("=")[0].split("|"))

    @property
    def canonical(self) -> str:
        return self.names[0]

    @property
    def takes_value(self) -> bool:
        return self.spec.endswith("=s")

    @property
    def negatable(self) -> bool:
        return self.spec.endswith("!")


@dataclass(slots=True)
class Parsed:
    """Options given (canonical name -> True, False for a negated flag, or the value) and
    the remaining arguments, in order."""

    options: dict[str, bool | str] = field(default_factory=dict)
    arguments: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class GetoptLong:
    def __init__(self, specs: list[OptionSpec]) -> None:
        # every spelling -> (its option, the value a flag gets when spelled this way)
        self.spellings: dict[str, tuple[OptionSpec, bool]] = {}
        for spec in specs:
            for name in spec.names:
                self.spellings[name] = (spec, True)
                if spec.negatable:
                    self.spellings[f"no{name}"] = (spec, False)
                    self.spellings[f"no-{name}"] = (spec, False)

    def parse(self, argv: list[str]) -> Parsed:
        parsed = Parsed()
        args = list(argv)
        while args:
            arg = args.pop(0)
            if arg == "--":
                parsed.arguments += args
                break
            if not arg.startswith("-") or arg == "-":
                parsed.arguments.append(arg)
                continue
            self._option(arg, args, parsed)
        return parsed

    def _option(self, arg: str, rest: list[str], parsed: Parsed) -> None:
        body = arg[2:] if arg.startswith("--") else arg[1:]
        name, has_value, value = body.partition("=")
        found = self._lookup(name, parsed)
        if found is None:
            return
        spec, flag = found
        if spec.takes_value:
            if not has_value:
                if not rest:
                    parsed.errors.append(f"Option {name} requires an argument")
                    return
                value = rest.pop(0)  # a mandatory string takes anything, even "-x"
            parsed.options[spec.canonical] = value
        elif has_value:
            parsed.errors.append(f"Option {name} does not take an argument")
        else:
            parsed.options[spec.canonical] = flag

    def _lookup(self, name: str, parsed: Parsed) -> tuple[OptionSpec, bool] | None:
        if name in self.spellings:
            return self.spellings[name]
        hits = sorted(s for s, (spec, _) in self.spellings.items()
                      if s.startswith(name) and name and not spec.exact)
        options = {(self.spellings[h][0].canonical, self.spellings[h][1]) for h in hits}
        if len(options) == 1:
            return self.spellings[hits[0]]
        if hits:
            parsed.errors.append(f"Option {name} is ambiguous ({', '.join(hits)})")
        else:
            parsed.errors.append(f"Unknown option: {name}")
        return None
