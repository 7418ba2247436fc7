"""A deploy's files as versions of procedures: several BPMN files may each hold a version
of one procedure with its own ``effective_from`` (``processes/`` keeps a coming version
beside the one in force), and the day each version is in force from."""

from __future__ import annotations

from datetime import date

from engine.definitions import read_bundle
from engine.definitions.bundle import Bundle
from engine.definitions.vocabulary import NS, is_procedure, properties_of
from engine.definitions.xml import safe_parse
from engine.errors import InvalidInput, Problem, UnsafeXml
from engine.i18n import msg
from engine.service.versions import EFFECTIVE_FROM, parse_day


def read_versions(files: dict[str, bytes], departments: set[str] | None,
                  deployed: dict[str, dict[str, str]]) -> Bundle:
    """``read_bundle``, where several BPMN files may each hold a version of one procedure
    (each with its own ``effective_from``): each is read with the rest of the files, once."""
    found = rounds(files)
    if len(found) == 1:
        return read_bundle(files, departments, deployed)
    whole = read_bundle(found[0], departments, deployed)
    for later in found[1:]:
        extra = read_bundle(later, departments, deployed)
        whole.problems.extend(p for p in extra.problems if p not in whole.problems)
        whole.procedures.extend(p for p in extra.procedures if p.meta.file in later
                                and p.meta.file not in found[0])
    return whole


def rounds(files: dict[str, bytes]) -> list[dict[str, bytes]]:
    """The upload as bundles of one version per procedure: the first holds every file but
    the later versions of a procedure that several BPMN files define, each with its own
    ``effective_from``; each next one swaps in the next version. Files that cannot be read
    are left for the bundle reader to report."""
    versions: dict[str, list[tuple[str, str]]] = {}  # key -> [(day as written, file)]
    for name, data in files.items():
        if not name.lower().endswith((".bpmn", ".bpmn20.xml")):
            continue
        try:
            tree = safe_parse(data, name)
        except UnsafeXml:  # reported by the bundle reader
            continue
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            if is_procedure(proc):
                day = properties_of(proc).get(EFFECTIVE_FROM, "")
                versions.setdefault(str(proc.get("id")), []).append((day, name))
    series = {key: sorted(found) for key, found in versions.items()
              if len(found) > 1 and len({day for day, _ in found}) == len(found)}
    if not series:
        return [files]
    later = {name for found in series.values() for _, name in found[1:]}
    rounds = [{n: d for n, d in files.items() if n not in later}]
    for index in range(1, max(len(found) for found in series.values())):
        swapped = {name for found in series.values() if len(found) > index
                   for _, name in [found[index]]}
        dropped = {found[0][1] for found in series.values() if len(found) > index}
        rounds.append({n: d for n, d in files.items()
                       if (n not in later and n not in dropped) or n in swapped})
    return rounds


def version_days(bundle: Bundle, given: date | None, now: date
          ) -> tuple[dict[int, tuple[date, bool]], list[Problem]]:
    """By position in ``bundle.procedures``: the day each version is in force from and
    whether the deploy said it (the given day wins; a file that says another is an error)."""
    days: dict[int, tuple[date, bool]] = {}
    problems: list[Problem] = []
    for index, proc in enumerate(bundle.procedures):
        written = proc.meta.properties.get(EFFECTIVE_FROM)
        stated: date | None = None
        where = f"process '{proc.meta.key}'"
        if written is not None:
            try:
                stated = parse_day(written)
            except InvalidInput as exc:
                problems.append(Problem(proc.meta.file, None, where,
                                        exc.message or msg("err_versions_day_not_iso",
                                                           value=written)))
                continue
        if given is not None and stated is not None and given != stated:
            problems.append(Problem(proc.meta.file, None, where, msg(
                "err_versions_day_conflict", given=f"{given:%d/%m/%Y}",
                stated=f"{stated:%d/%m/%Y}")))
            continue
        chosen = given or stated
        days[index] = (chosen or now, chosen is not None)
    return days, problems
