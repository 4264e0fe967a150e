"""bench/results.md holds two runs' figures: ``make bench`` rewrites its table and keeps the section
``make bench-scale`` wrote; ``make bench-scale`` replaces only that section."""

from bench.projections_scale import SECTION, replace_section, split_section

SUITE = "# Benchmark results\n\n| the suite's table |\n\n- machine facts\n"
SCALE = f"{SECTION}\n\nthe city-scale figures\n"


def test_bench_scale_adds_its_section_then_replaces_only_it():
    once = replace_section(SUITE, SCALE)
    assert once == SUITE + "\n" + SCALE
    again = replace_section(once, SCALE.replace("figures", "figures, measured again"))
    assert again == SUITE + "\n" + SCALE.replace("figures", "figures, measured again")


def test_the_suite_keeps_the_section_and_what_follows_it_stays_apart():
    document = replace_section(SUITE, SCALE) + "\n## Later notes\n\nkept too\n"
    rest, section = split_section(document)
    assert section == SCALE + "\n"
    assert rest == SUITE + "\n" + "## Later notes\n\nkept too\n"
    assert split_section(SUITE) == (SUITE, "")
