"""Deterministic Apollo-style people export of N rows, for the import benchmark.

~5% of rows repeat an earlier person's email in another case / with spaces, ~2% have an invalid
email, names are unicode, titles hold quoted commas, some rows carry a multi-line "Keywords"
cell, and companies are shared (one company per ~8 people).

    python bench/generate_apollo_csv.py 1000000 var/bench/apollo_1m.csv
"""

from __future__ import annotations

import csv
import random
import sys
import unicodedata
from pathlib import Path

HEADERS = [
    "First Name",
    "Last Name",
    "Title",
    "Company",
    "Email",
    "Email Status",
    "Seniority",
    "Keywords",
    "Work Direct Phone",
    "# Employees",
    "Industry",
    "Person Linkedin Url",
    "Website",
    "City",
    "State",
    "Country",
    "Apollo Contact Id",
]
FIRST = [
    "Jane",
    "Rahul",
    "Zoë",
    "Tomás",
    "Chloé",
    "Björn",
    "Aiko",
    "Oluwaseun",
    "Ana",
    "Łukasz",
    "Mei",
    "José",
    "Fatima",
    "Søren",
    "Priya",
    "Noah",
    "Élodie",
    "Kenji",
    "Amara",
    "Liam",
]
LAST = [
    "Doe",
    "Mehta",
    "Müller",
    "García",
    "Dubois",
    "Nilsson",
    "Tanaka",
    "Adeyemi",
    "Silva",
    "Kowalski",
    "Chen",
    "Martínez",
    "Haddad",
    "Jørgensen",
    "Raman",
    "Smith",
    "Lefèvre",
]
TITLES = [
    "VP Sales",
    "Head of Growth",
    "Director, Partnerships",
    "CTO",
    "Founder & CEO",
    "Sales Manager, EMEA",
    "Account Executive",
    "Head of RevOps",
    "CMO",
]
INDUSTRIES = ["Computer Software", "Logistics", "Internet", "Financial Services", "Retail"]
PLACES = [
    ("San Francisco", "California", "United States"),
    ("Paris", "Île-de-France", "France"),
    ("München", "Bayern", "Germany"),
    ("Bengaluru", "Karnataka", "India"),
    ("São Paulo", "SP", "Brazil"),
    ("Tokyo", "", "Japan"),
]


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower() or "x"


def generate(n: int, out: Path, seed: int = 42) -> None:
    rnd = random.Random(seed)
    companies = max(1, n // 8)
    out.parent.mkdir(parents=True, exist_ok=True)
    emails: list[str] = []
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for i in range(n):
            c = rnd.randrange(companies)
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            domain = f"company{c}.com"
            roll = rnd.random()
            if roll < 0.05 and emails:
                email = "  " + rnd.choice(emails).upper() + " "
            elif roll < 0.07:
                email = f"{first}.{last}{i}@@{domain}"
            else:
                email = f"{_ascii(first)[0]}{i}.{_ascii(last)}@{domain}"
                emails.append(email)
                if len(emails) > 5000:
                    emails.pop(rnd.randrange(len(emails)))
            city, state, country = rnd.choice(PLACES)
            keywords = "saas, b2b\noutbound" if i % 50 == 0 else "saas"
            writer.writerow(
                [
                    first,
                    last,
                    rnd.choice(TITLES),
                    f"Company {c} Inc",
                    email,
                    rnd.choice(["Verified", "Guessed", "Unavailable"]),
                    "VP",
                    keywords,
                    f"+1 415 555 {i % 10000:04d}",
                    str(10 + c % 5000),
                    rnd.choice(INDUSTRIES),
                    f"http://www.linkedin.com/in/{first.lower()[:3]}-{last.lower()[:3]}-{i}",
                    f"http://www.{domain}",
                    city,
                    state,
                    country,
                    f"{i:024x}",
                ]
            )


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
