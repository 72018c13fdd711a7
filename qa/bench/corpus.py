"""A deterministic synthetic news corpus for the benchmark, with the seed articles inside.

In: a target number of chunks and the chunking settings. Out: article files in a folder
(the same files for the same arguments, on any machine), which together with the seeds
chunk to at least the target. The articles read like wire reports on other cities and
topics, with varied sentences of news-like length; they never name Mosul or the people
in the seed articles, so the seeds' answers stay the right ones at any scale.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

from qa.ingest.formats import decode_article
from qa.ingest.pipeline import read_article

VERSION = 2  # change when the generator or the store changes: cached indexes are keyed on it

CITIES = (
    "Aleppo", "Raqqa", "Basra", "Kirkuk", "Tikrit", "Fallujah", "Ramadi", "Homs", "Idlib",
    "Deir ez-Zor", "Sirte", "Benghazi", "Sanaa", "Aden", "Taiz", "Marawi", "Donetsk",
    "Kharkiv", "Gao", "Timbuktu", "Maiduguri", "Kandahar", "Herat", "Sinjar", "Karbala",
    "Najaf", "Hama", "Palmyra", "Tripoli", "Misrata",
)  # fmt: skip
GROUPS = (
    "the provincial council", "the interior ministry", "the health ministry", "the army",
    "local police", "the electricity authority", "a tribal militia", "the city's governor",
    "a United Nations agency", "the Red Crescent", "an aid coalition", "the water board",
    "rebel commanders", "the defence ministry", "a human rights group", "the central bank",
    "the chamber of commerce", "the education ministry", "a refugee committee",
    "the ministry of transport",
)  # fmt: skip
PEOPLE = (
    "Samir Haddad", "Layla Karim", "Omar Farouk", "Nadia Suleiman", "Yusuf Bakr",
    "Rana Mansour", "Tariq Nouri", "Huda Jaber", "Karim Aziz", "Salma Rahim", "Adel Qasim",
    "Mona Fadel", "Hassan Tahir", "Amal Yassin", "Faris Hamdan", "Zainab Latif",
)  # fmt: skip
TOPICS = (
    ("reconstruction", "rebuilt bridges", "new schools", "repaired roads"),
    ("power supply", "generators", "transmission lines", "fuel deliveries"),
    ("water", "pumping stations", "treatment plants", "water tankers"),
    ("displacement", "families", "tents", "returning residents"),
    ("health", "clinics", "vaccination teams", "hospital beds"),
    ("security", "checkpoints", "patrols", "arrests"),
    ("trade", "shops", "trucks", "market stalls"),
    ("harvest", "wheat silos", "irrigation canals", "farmers"),
    ("schools", "classrooms", "teachers", "students"),
    ("demining", "explosive devices", "cleared districts", "demining teams"),
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SENTENCES = (
    "{Group} said on {day} that {n} {thing} had been {done} in {city} since {month}.",
    "According to {group}, about {n} {thing} in the {quarter} districts of {city} still "
    "needed {need} before the {season}.",
    "{Person}, who speaks for {group}, told reporters that the work on {thing} would cost "
    "{money} and take at least {k} months.",
    "Residents of {city} described long queues for {thing}, and some said they had waited "
    "{k} days without {need}.",
    "The {topic} programme in {city} was delayed in {month} after {group} failed to pay "
    "contractors for {k} weeks.",
    "{Person} said the number of {thing} had risen from {m} to {n} over the past year, "
    "though officials in {city} disputed the figures.",
    "In the {quarter} part of {city}, {group} opened {k} new sites for {thing} on {day}, "
    "a month later than planned.",
    "Donors pledged {money} for {topic} in {city} at a conference in {month}, but less "
    "than half of it has arrived so far.",
    "A report by {group} found that {pct} percent of {thing} in {city} were damaged or "
    "out of use at the end of {month}.",
    "{Person} warned that without {need} the gains made in {city} since {year} could be "
    "lost within {k} months.",
    "Engineers from {group} said {n} {thing} could be ready in {city} by {month} {year} if "
    "the weather held.",
    "Shopkeepers in {city} said prices for {need} had doubled since {month}, while wages "
    "stayed where they were.",
    "The governor of {city} asked {group} for {money} to pay for {thing} and for {need}.",
    "Officials counted {n} {thing} across {city} in {month}, up from {m} a year earlier.",
    "{Group} denied reports that {thing} in {city} had been sold on the black market.",
    "By {day} evening, {k} convoys carrying {need} had reached the {quarter} edge of "
    "{city}, {group} said.",
)  # fmt: skip
HEADLINES = (
    "{City} waits for {thing} as {topic} plan slips",
    "{Group_title} promises {thing} for {city} by {month}",
    "In {city}, {topic} becomes the test of peace",
    "{City} residents count the cost of {topic} delays",
    "Money for {topic} in {city} falls short",
)  # fmt: skip
DONE = ("repaired", "handed over", "inspected", "registered", "built", "reopened", "funded")
NEEDS = ("clean water", "fuel", "medicine", "cash", "spare parts", "flour", "cement", "permits")
QUARTERS = ("northern", "southern", "eastern", "western", "old", "industrial", "riverside")
SEASONS = ("summer heat", "winter rains", "harvest", "school year", "next budget")


def synthetic_articles(
    count_chunks: int, chunk_words: int, overlap: int
) -> Iterator[tuple[str, str]]:
    """(file name, text) of synthetic articles until they chunk to ``count_chunks``."""
    made = number = 0
    while made < count_chunks:
        name, text = synthetic_article(number)
        made += len(read_article(name, text, chunk_words, overlap)[1])
        number += 1
        yield name, text


def synthetic_article(number: int) -> tuple[str, str]:
    """Article ``number`` of the synthetic corpus: always the same text for a number."""
    rng = random.Random(f"qa-bench-{VERSION}-{number}")
    city = rng.choice(CITIES)
    topic, *things = rng.choice(TOPICS)
    date = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2014, 2019)}"
    slots = _slots(rng, city, topic, things)
    headline = rng.choice(HEADLINES).format(**slots)
    headline = headline[0].upper() + headline[1:]
    paragraphs = []
    for _ in range(rng.randint(6, 12)):
        paragraphs.append(
            " ".join(
                rng.choice(SENTENCES).format(**_slots(rng, city, topic, things))
                for _ in range(rng.randint(2, 4))
            )
        )
    author = rng.choice(PEOPLE)
    text = f"{headline}\n{date} {author}\n" + "\n".join(paragraphs) + "\n"
    return f"bench_{number:06d}.txt", text


def _slots(rng: random.Random, city: str, topic: str, things: list[str]) -> dict[str, str]:
    group = rng.choice(GROUPS)
    return {
        "city": city,
        "City": city,
        "topic": topic,
        "thing": rng.choice(things),
        "group": group,
        "Group": group[0].upper() + group[1:],
        "Group_title": group[0].upper() + group[1:],
        "person": rng.choice(PEOPLE),
        "Person": rng.choice(PEOPLE),
        "n": f"{rng.randint(12, 9000):,}",
        "m": f"{rng.randint(5, 4000):,}",
        "k": str(rng.randint(2, 11)),
        "pct": str(rng.randint(8, 85)),
        "money": f"${rng.randint(2, 900)} million",
        "month": rng.choice(MONTHS),
        "day": rng.choice(DAYS),
        "year": str(rng.randint(2014, 2019)),
        "need": rng.choice(NEEDS),
        "done": rng.choice(DONE),
        "quarter": rng.choice(QUARTERS),
        "season": rng.choice(SEASONS),
    }


def write_corpus(
    folder: Path, seeds_dir: Path, target_chunks: int, chunk_words: int, overlap: int
) -> int:
    """Fill ``folder`` with the seeds and enough synthetic articles to reach
    ``target_chunks`` chunks in all; returns the number of files written."""
    folder.mkdir(parents=True, exist_ok=True)
    seed_chunks = 0
    files = 0
    for path in sorted(seeds_dir.iterdir()):
        if path.is_file():
            shutil.copy(path, folder / path.name)
            _, chunks = read_article(
                path.name, decode_article(path.read_bytes()), chunk_words, overlap
            )
            seed_chunks += len(chunks)
            files += 1
    for name, text in synthetic_articles(max(0, target_chunks - seed_chunks), chunk_words, overlap):
        (folder / name).write_text(text, encoding="utf-8")
        files += 1
    return files


def bench_questions(count: int) -> list[str]:
    """Questions about the synthetic corpus, for latency runs (deterministic)."""
    rng = random.Random(f"qa-bench-questions-{VERSION}")
    forms = (
        "How many {thing} were counted in {city}?",
        "What did {group} say about {topic} in {city}?",
        "When will the {thing} in {city} be ready?",
        "How much money was pledged for {topic} in {city}?",
        "Why was the {topic} programme in {city} delayed?",
    )
    questions = []
    for _ in range(count):
        topic, *things = rng.choice(TOPICS)
        questions.append(rng.choice(forms).format(**_slots(rng, rng.choice(CITIES), topic, things)))
    return questions
