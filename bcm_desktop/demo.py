"""Realistic demo data of any size: ``python -m bcm_desktop.demo -n N --database PATH``.

The demo business is a small Dutch IT and point-of-sale supplier ("Kantoor & Kassa") that sells
to Dutch and British small businesses: bakeries, installers, florists, dental practices. Every
run with the same seed, size and day produces the same data.

How it stays fast (a million opportunities in well under five minutes on two cores):

- The schema comes from the migrations (``open_database``) and the built-in defaults from
  ``ensure_defaults``; everything else is written in ONE transaction on a connection tuned for
  bulk loading (rollback journal in memory, ``synchronous=OFF``, a large page cache).
- Rows are plain tuples, written with ``executemany`` in chunks of 20,000. The statements are
  made by SQLAlchemy Core (``insert(table)`` compiled for the table's columns) but run on the
  driver: Core's per-row bind processing measured about 50 µs a row here, more than SQLite's own
  insert. Dates and timestamps therefore come from pools of ready-made strings, built with (and
  checked against) the columns' own bind processors, so the stored text is exactly what the ORM
  would store. The few small tables (users, catalog, marketing, history) use plain Core inserts.
- Secondary indexes of the bulk-loaded tables are dropped first and re-created at the end from
  the very SQL text the migration stored in ``sqlite_master``, so the finished schema is
  byte-for-byte what the migration makes. Triggers that feed an FTS5 index are dropped the same
  way and the index is rebuilt in one pass. ``ANALYZE`` runs last. Foreign keys are not
  enforced while loading; the data is consistent by construction (the tests run
  ``foreign_key_check``).
- The database is built in ``PATH.tmp`` next to the target and renamed into place only when it
  is complete and closed, so an interrupted or cancelled build never leaves a half-made file
  (a temporary file left by a killed build is removed by the next one).

Measured on two cores: 100,000 opportunities in about 11 s (90 MB), 1,000,000 in about 100 s
(890 MB).

Demo e-mail addresses and web pages use the reserved ``.example`` top-level domain and British
phone numbers come from Ofcom's ranges for drama, so demo e-mail never reaches a real business.
Dutch phone numbers are random and may exist.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from random import Random
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, insert, select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import SQLAlchemyError

from .domain.enums import ListKind, StageKind
from .domain.errors import DatabaseOpenError, DomainError
from .repository.database import check_sqlite_file, open_database, to_url
from .repository.orm import (
    AccountRow,
    Base,
    CategoryRow,
    ContactRow,
    HistoryItemRow,
    MarketingActivityRow,
    OpportunityCategoryRow,
    OpportunityLineRow,
    OpportunityRow,
    ProductRow,
    StageHistoryRow,
    UserRow,
)
from .repository.unit_of_work import unit_of_work_factory
from .services.users import ensure_defaults, os_login

Progress = Callable[[int, int], None]
Row = tuple[Any, ...]

CHUNK = 20_000
DEFAULT_COLLEAGUES = 4
HISTORY_OPPORTUNITIES = 2_000  # communication history for a sample, not for every record
HISTORY_ACCOUNTS = 400
HISTORY_CONTACTS = 300
# The finishing work (indexes, search index, ANALYZE) in progress units, per opportunity.
FINISH_SHARE = 0.6
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
OUR_DOMAIN = "kantoorenkassa.example"


class DemoTargetError(DomainError):
    """The target file already holds data (or is not a BCM Desktop database): left alone."""


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` wrote: counts per kind of record, duration and file size."""

    path: Path
    opportunities: int
    lines: int
    stage_changes: int
    accounts: int
    contacts: int
    users: int
    products: int
    marketing_activities: int
    history_items: int
    seconds: float
    file_size: int

    def one_line(self) -> str:
        """The summary the command line prints."""
        return (
            f"Built {self.path}: {self.opportunities:,} opportunities "
            f"({self.lines:,} product lines, {self.stage_changes:,} stage changes), "
            f"{self.accounts:,} accounts, {self.contacts:,} business contacts, "
            f"{self.users:,} users, {self.products:,} products and services, "
            f"{self.marketing_activities:,} marketing activities, "
            f"{self.history_items:,} history items in {self.seconds:.1f} s; "
            f"{_file_size_text(self.file_size)}."
        )


# --------------------------------------------------------------------------------------------
# Names and places
# --------------------------------------------------------------------------------------------

NL, EN = 0, 1

# fmt: off
# Word lists and tables stay compact: one entry per line would make them unreadable.

FIRST_NAMES = (
    (
        "Anna", "Jan", "Pieter", "Sanne", "Daan", "Lotte", "Sophie", "Thijs", "Femke", "Bram",
        "Eva", "Lars", "Noor", "Ruben", "Iris", "Joris", "Maartje", "Sven", "Willem", "Marieke",
        "Koen", "Inge", "Gert", "Hanneke", "Niels", "Esther", "Hendrik", "Lieke", "Bas", "Anouk",
        "Mohammed", "Fatima", "Yusuf", "Samira", "Kevin", "Linda", "Erik", "Monique", "Rob",
        "Marloes", "Jeroen", "Petra", "Sjoerd", "Wendy", "Tim", "Ilse", "Dirk", "Karin", "Stijn",
        "Mirjam",
    ),
    (
        "James", "Emily", "Oliver", "Charlotte", "Harry", "Sophie", "George", "Amelia", "Jack",
        "Olivia", "Thomas", "Grace", "William", "Lucy", "Daniel", "Hannah", "Samuel", "Chloe",
        "Joseph", "Ellie", "Matthew", "Jessica", "Luke", "Rebecca", "Adam", "Laura", "Ryan",
        "Megan", "Ben", "Katie", "Priya", "Raj", "Aisha", "Omar", "Fiona", "Callum", "Eilidh",
        "Rhys", "Siân", "Gareth", "Claire", "Paul", "Helen", "Mark", "Sarah", "Steven", "Joanne",
        "Andrew", "Rachel", "Neil",
    ),
)
LAST_NAMES = (
    (
        "de Vries", "van Dijk", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer",
        "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
        "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
        "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Berg",
        "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven",
        "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom",
        "Huisman", "Peeters", "de Bruijn", "van Wijk", "Kuipers", "Postma", "Timmermans",
        "El Amrani", "Yilmaz", "Bouzid", "Zwart", "Veenstra", "Kramer", "Scholten", "Wouters",
        "van Rijn", "Groen",
    ),
    (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
        "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "Harris", "Martin", "Cooper",
        "King", "Lee", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips",
        "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
        "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
        "Miller", "Cox", "Richards", "Fletcher", "Hughes", "Edwards", "Turner", "Ahmed",
    ),
)

# name, area code (without leading 0), first and last postcode digits
NL_CITIES = (
    ("Amsterdam", "20", 1011, 1109), ("Rotterdam", "10", 3011, 3089),
    ("Den Haag", "70", 2491, 2597), ("Utrecht", "30", 3511, 3585),
    ("Eindhoven", "40", 5611, 5658), ("Groningen", "50", 9711, 9747),
    ("Tilburg", "13", 5011, 5049), ("Breda", "76", 4811, 4839),
    ("Nijmegen", "24", 6511, 6546), ("Haarlem", "23", 2011, 2037),
    ("Arnhem", "26", 6811, 6846), ("Amersfoort", "33", 3811, 3826),
    ("Zwolle", "38", 8011, 8043), ("Leiden", "71", 2311, 2334),
    ("Maastricht", "43", 6211, 6229), ("Delft", "15", 2611, 2629),
    ("Alkmaar", "72", 1811, 1827), ("Leeuwarden", "58", 8911, 8939),
    ("Deventer", "570", 7411, 7439), ("'s-Hertogenbosch", "73", 5211, 5247),
    ("Apeldoorn", "55", 7311, 7339), ("Hilversum", "35", 1211, 1223),
    ("Dordrecht", "78", 3311, 3329), ("Gouda", "182", 2801, 2809),
)
# name, phone prefix of Ofcom's drama range (international form), postcode districts
UK_CITIES = (
    ("London", "20 7946 0", ("E1", "N1", "SE1", "SW11", "EC1V", "W6", "NW5", "E8")),
    ("Manchester", "161 496 0", ("M1", "M4", "M14", "M20")),
    ("Birmingham", "121 496 0", ("B1", "B5", "B13", "B30")),
    ("Leeds", "113 496 0", ("LS1", "LS6", "LS11")),
    ("Sheffield", "114 496 0", ("S1", "S7", "S10")),
    ("Nottingham", "115 496 0", ("NG1", "NG5", "NG7")),
    ("Bristol", "117 496 0", ("BS1", "BS6", "BS8")),
    ("Reading", "118 496 0", ("RG1", "RG2", "RG4")),
    ("Glasgow", "141 496 0", ("G1", "G3", "G12")),
    ("Edinburgh", "131 496 0", ("EH1", "EH3", "EH6")),
    ("Cardiff", "29 2018 0", ("CF10", "CF11", "CF24")),
    ("Belfast", "28 9018 0", ("BT1", "BT7", "BT9")),
)
STREETS = (
    (
        "Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Marktplein", "Nieuwstraat",
        "Havenstraat", "Industrieweg", "Schoolstraat", "Julianalaan", "Beatrixstraat",
        "Lindelaan", "Prinsengracht", "Kanaalweg", "Zuiderparkweg", "Spoorstraat",
        "Hoofdstraat", "Wilhelminastraat", "Ambachtsweg", "Oude Gracht",
    ),
    (
        "High Street", "Station Road", "Mill Lane", "Church Lane", "Market Square",
        "Harbour Street", "Victoria Road", "Kings Road", "Queen Street", "Bridge Street",
        "Park Road", "Castle Hill", "New Street", "Chapel Walk", "Riverside Way",
        "Old Market", "North Parade", "Green Lane", "Albert Road", "Union Street",
    ),
)
COUNTRIES = ("Nederland", "United Kingdom")
NL_POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"
UK_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXY"

NL_PREFIX_TRADES = (
    "Bakkerij", "Slagerij", "Bloemenhuis", "Autobedrijf", "Drukkerij", "Schildersbedrijf",
    "Kapsalon", "Rijwielhandel", "Tandartspraktijk", "Administratiekantoor", "Hoveniersbedrijf",
    "Installatiebedrijf", "Timmerbedrijf", "Aannemersbedrijf", "Boekhandel", "Dierenkliniek",
    "Optiek", "Juwelier", "Makelaardij", "Fysiotherapie", "Kaashandel", "Vishandel",
    "Wijnhandel", "Loodgietersbedrijf", "Notariskantoor",
)
NL_SUFFIX_TRADES = (
    "Installatietechniek", "Transport", "Bouw", "Metaalbewerking", "Advies", "Elektrotechniek",
    "Schoonmaakdiensten", "Verhuur", "Catering", "& Zonen", "Accountants", "Tuinen", "Dakwerken",
    "Interieurbouw", "Keukens", "Logistiek", "Verf en Behang", "Glas", "Koeltechniek",
    "Stukadoors",
)
NL_SIGN_NAMES = (
    "De Linde", "De Zwaan", "Het Anker", "De Molen", "De Eik", "De Gouden Leeuw", "Het Wapen",
    "De Kroon", "De Hoek", "Het Bolwerk", "De Wilgen", "De Poort",
)
NL_SIGN_TRADES = (
    "Brasserie", "Hotel", "Eetcafé", "Bakkerij", "Kinderdagverblijf", "Tuincentrum", "Lunchroom",
    "Bloemisterij",
)
EN_SUFFIX_TRADES = (
    "& Sons", "Plumbing", "Joinery", "Electrical", "Bakery", "Accountancy", "Removals",
    "Landscaping", "Dental Practice", "Motors", "Print", "Catering", "Builders", "Opticians",
    "Veterinary Clinic", "Roofing", "Cleaning Services", "Butchers", "Interiors", "Decorators",
)
EN_PLACES = (
    "Harbour Street", "Mill Lane", "Riverside", "Northgate", "Castle Hill", "Kings Road",
    "Old Town", "Market Square", "Station Road", "Bridge End", "Westfield", "Oakwood",
    "Greenway", "Hillside", "Church Lane", "Seaview", "Meadowbank", "Brookside", "Parkside",
    "High Street",
)
EN_PLACE_TRADES = (
    "Florists", "Bakery", "Garage", "Dental Care", "Bookshop", "Café", "Vets", "Pharmacy",
    "Fitness", "Print Shop", "Hair Studio", "Bistro", "Opticians", "Cycles", "Deli", "Tailors",
    "Hardware", "Nursery",
)
JOB_TITLES = (
    (
        "Eigenaar", "Directeur", "Bedrijfsleider", "Office manager", "Inkoper",
        "Financieel administrateur", "Hoofd ICT", "Filiaalmanager", "Praktijkmanager",
        "Operationeel manager",
    ),
    (
        "Owner", "Managing Director", "Office Manager", "Purchasing Manager", "Finance Manager",
        "IT Coordinator", "Operations Manager", "Practice Manager", "Store Manager", "Partner",
    ),
)

COLLEAGUES = (
    ("Sanne Bakker", "sanne.bakker"),
    ("Tom Fletcher", "tom.fletcher"),
    ("Fatima El Amrani", "fatima.elamrani"),
    ("Daan Visser", "daan.visser"),
    ("Emily Clarke", "emily.clarke"),
    ("Joost van Leeuwen", "joost.vanleeuwen"),
    ("Priya Sharma", "priya.sharma"),
    ("Mark de Graaf", "mark.degraaf"),
)

# --------------------------------------------------------------------------------------------
# The catalog and what opportunities are about
# --------------------------------------------------------------------------------------------

PIECE, HOUR, YEAR, MONTH, LICENCE, SESSION = range(6)


@dataclass(frozen=True)
class _Product:
    name: str
    description: str
    cost_cents: int
    price_cents: int
    unit: int
    taxable: bool = True


PRODUCTS = (
    _Product("Kassasysteem Compact", "Touchscreenkassa met software, 1 werkplek", 69500, 119500,
             PIECE),
    _Product("Kassasysteem Pro", "Kassa met klantscherm, voorraadbeheer en rapportage", 124000,
             215000, PIECE),
    _Product("Bonprinter TM-30", "Thermische bonprinter met automatische snijder", 14500, 24900,
             PIECE),
    _Product("Pinautomaat (koop)", "Mobiele pinterminal, contactloos", 31000, 49900, PIECE),
    _Product('Laptop Business 14"', "14-inch zakelijke laptop, 16 GB, 512 GB SSD", 72000, 104900,
             PIECE),
    _Product('Monitor 27"', "27-inch monitor, USB-C", 16500, 25900, PIECE),
    _Product("Netwerkinstallatie (per werkplek)", "Bekabeling en aansluiting per werkplek", 4500,
             12500, PIECE),
    _Product("Wifi access point", "Zakelijk access point, inclusief configuratie", 9500, 18900,
             PIECE),
    _Product("VoIP-telefoontoestel", "Bureautoestel voor de VoIP-centrale", 8500, 14900, PIECE),
    _Product("Installatie op locatie (uur)", "Monteur op locatie", 3800, 8500, HOUR),
    _Product("Training (dagdeel)", "Training voor medewerkers, maximaal 8 personen", 12000, 39500,
             SESSION),
    _Product("Website redesign", "Nieuw ontwerp en bouw van de website", 180000, 450000, PIECE),
    _Product("Webshop-module", "Webshop gekoppeld aan kassa en voorraad", 60000, 195000, PIECE),
    _Product("Hosting en onderhoud (jaar)", "Hosting, updates en back-ups van de website",
             12000, 48000, YEAR),
    _Product("SEO-campagne (maand)", "Zoekmachineoptimalisatie en maandrapport", 25000, 65000,
             MONTH),
    _Product("Microsoft 365 Business (licentie, jaar)", "Per gebruiker per jaar", 11880, 15120,
             LICENCE),
    _Product("Back-up service (maand)", "Online back-up met dagelijkse controle", 1250, 2995,
             MONTH),
    _Product("Onderhoudscontract (jaar)", "Storingsdienst en preventief onderhoud", 30000,
             120000, YEAR),
    _Product("Consultancy (uur)", "Advies door een consultant", 0, 11000, HOUR, taxable=True),
    _Product("Camerabeveiliging set (4 camera's)", "Vier camera's met recorder en app", 54000,
             99500, PIECE),
)


@dataclass(frozen=True)
class _Theme:
    weight: int
    titles: tuple[tuple[str, ...], tuple[str, ...]]  # Dutch, English
    products: tuple[int, ...]


THEMES = (
    _Theme(16, (("Nieuwe kassasystemen voor {name}", "Kassavervanging {name}",
                 "Kassasysteem tweede filiaal", "Nieuwe kassa's en pinautomaten"),
                ("New till system for {name}", "EPOS upgrade", "Point of sale for {name}",
                 "Tills for the new shop")), (0, 1, 2, 3, 9, 10)),
    _Theme(12, (("Website redesign", "Nieuwe website voor {name}", "Website vernieuwen {year}"),
                ("Website redesign", "New website for {name}", "Website refresh {year}")),
           (11, 13, 14, 18)),
    _Theme(8, (("Webshop voor {name}", "Webshop koppelen aan kassa"),
               ("Online shop for {name}", "Web shop with stock sync")), (12, 11, 13, 14)),
    _Theme(10, (("Vervanging laptops {name}", "Nieuwe werkplekken", "Laptops nieuwe medewerkers"),
                ("Laptop refresh at {name}", "New workstations", "Laptops for new starters")),
           (4, 5, 9, 15)),
    _Theme(8, (("Netwerk en wifi vernieuwen", "Wifi in de winkel", "Netwerk nieuwe vestiging"),
               ("Office network upgrade", "Shop wifi", "Network for the new branch")),
           (6, 7, 9, 18)),
    _Theme(10, (("Onderhoudscontract {year}", "Verlenging onderhoudscontract {name}"),
                ("Support contract renewal {year}", "Maintenance contract for {name}")),
           (17, 16, 18)),
    _Theme(9, (("Overstap naar Microsoft 365", "Cloudmigratie {name}"),
               ("Move to Microsoft 365", "Cloud migration for {name}")), (15, 16, 9, 10, 18)),
    _Theme(6, (("Camerabeveiliging {name}", "Beveiligingscamera's magazijn"),
               ("CCTV installation", "Security cameras for {name}")), (19, 9, 17)),
    _Theme(6, (("VoIP-telefonie", "Nieuwe telefooncentrale {name}"),
               ("New phone system", "VoIP for {name}")), (8, 6, 9)),
    _Theme(5, (("Training medewerkers", "Kassatraining nieuw personeel"),
               ("Staff training day", "Till training for new staff")), (10, 18)),
    _Theme(5, (("SEO-campagne", "Online marketing {year}"),
               ("Online marketing campaign", "Search marketing {year}")), (14, 11)),
    _Theme(5, (("Back-up en herstelplan", "Online back-up {name}"),
               ("Backup and disaster recovery", "Cloud backup for {name}")), (16, 9, 17)),
)

COMPETITORS = (
    "KassaDirect", "Webbouwers.nl", "PixelPerfect Studio", "CloudNine IT", "Noord IT Services",
    "TillPoint Ltd", "Retail Systems UK", "ICT Partners Utrecht", "HelpDesk Heroes",
    "SecureCam BV", "Bright Web Agency", "De Computerwinkel",
)
COMMENTS = (
    (
        "Klant wil eerst de offerte van een concurrent afwachten.",
        "Beslissing na het overleg met de vennoten.",
        "Budget is vrijgemaakt voor het tweede kwartaal.",
        "Graag installatie buiten openingstijden.",
        "Referentiebezoek bij een andere klant gepland.",
    ),
    (
        "Decision expected after the board meeting.",
        "Waiting for their accountant to approve the budget.",
        "Installation must happen outside opening hours.",
        "They asked for a reference customer nearby.",
        "Comparing us with two other suppliers.",
    ),
)

# name (Dutch or English), marketing type position, start (days from today), days, budget (€)
MARKETING = (
    ("Mailing kassasystemen", 2, -700, 30, 2_500),
    ("Horecabeurs Gorinchem", 3, -560, 4, 12_000),
    ("Google Ads webshops", 4, -430, 90, 6_000),
    ("Newsletter: Move to the cloud", 1, -300, 14, 800),
    ("Open dag showroom", 3, -190, 1, 3_500),
    ("Direct mail: till upgrade offer", 2, -110, 30, 4_200),
    ("Retail Expo London", 3, -40, 3, 15_000),
    ("LinkedIn campagne MKB-IT", 4, 20, 60, 5_000),
)

CATEGORIES = (
    ("Hot", "#c0392b"),
    ("Key account", "#2b579a"),
    ("Follow up", "#e67e22"),
    ("Waiting for customer", "#8e44ad"),
    ("Referral", "#27ae60"),
)

# Open stages weighted towards the early ones; about half of all records are closed.
STAGE_WEIGHTS = {
    "Prospecting": 14, "Qualification": 12, "Needs analysis": 10, "Proposal": 10,
    "Negotiation": 6, "Closed Won": 27, "Closed Lost": 21,
}
OTHER_STAGE_WEIGHT = 5
LINE_COUNTS = (0, 1, 2, 3, 4)
LINE_COUNT_WEIGHTS = (14, 30, 29, 16, 11)
TYPE_WEIGHTS = {"New business": 50, "Existing business": 25, "Renewal": 15, "Upsell": 10}
SOURCE_WEIGHTS = {
    "Advertisement": 10, "Referral": 22, "Trade show": 10, "Website": 25, "Cold call": 8,
    "Existing customer": 20, "Partner": 5,
}
TERMS_WEIGHTS = {"Due on receipt": 10, "Net 15 days": 20, "Net 30 days": 55, "Net 60 days": 15}


JITTER = (-10, -5, 0, 0, 0, 0, 5, 10)
PIECE_QUANTITIES = tuple(q * 1000 for q in (1, 1, 1, 1, 2, 2, 2, 3, 4, 5, 6, 8, 10, 12))
MONTH_QUANTITIES = tuple(q * 1000 for q in (3, 6, 12, 12, 12, 24))
DISCOUNT_BP = (250, 500, 500, 750, 1000, 1000, 1500)
DISCOUNT_AMOUNTS = (2_500, 5_000, 10_000, 25_000)

OPPORTUNITY_COLUMNS = (
    "id", "title", "assigned_to_id", "type_id", "link_account_id", "link_contact_id",
    "link_name", "probability", "products_total_cents", "expected_revenue_cents", "close_date",
    "payment_terms_id", "expiration_date", "delivery_date", "source_id",
    "initiated_by_account_id", "initiated_by_contact_id", "initiated_by_marketing_id",
    "competitors", "stage_id", "stage_entered_at", "status", "actual_close_date", "reminder_at",
    "comments", "created_at", "modified_at", "version",
)
LINE_COLUMNS = (
    "id", "opportunity_id", "position", "product_id", "item_name", "description",
    "unit_cost_cents", "unit_price_cents", "quantity_milli", "discount_percent_bp",
    "discount_amount_cents", "markup_percent_bp", "taxable", "line_total_cents",
)
STAGE_HISTORY_COLUMNS = (
    "id", "opportunity_id", "from_stage_id", "to_stage_id", "from_stage_name", "to_stage_name",
    "changed_at", "changed_by_id", "note",
)

HISTORY_KINDS = ("note", "phone_log", "email", "task", "appointment")
HISTORY_KIND_WEIGHTS = (25, 25, 25, 15, 10)
HISTORY_SUBJECTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "note": (
        ("Notitie: {about}", "Wensen op een rij: {about}", "Gespreksverslag {about}"),
        ("Note: {about}", "Requirements: {about}", "Meeting notes {about}"),
    ),
    "phone_log": (
        ("Telefoongesprek over {about}", "Teruggebeld: {about}", "Nabellen offerte"),
        ("Call about {about}", "Returned call: {about}", "Follow-up call on the quote"),
    ),
    "email": (
        ("Offerte {about}", "RE: {about}", "Aanvullende vragen", "Bevestiging afspraak"),
        ("Quote: {about}", "RE: {about}", "A few more questions", "Meeting confirmation"),
    ),
    "task": (
        ("Offerte opstellen", "Demo voorbereiden", "Referentie opvragen", "Contract versturen"),
        ("Prepare the quote", "Prepare a demo", "Ask for a reference", "Send the contract"),
    ),
    "appointment": (
        ("Kennismaking {about}", "Demo op locatie", "Oplevering en uitleg"),
        ("Introduction meeting {about}", "On-site demo", "Handover and walkthrough"),
    ),
}
NOTE_BODIES = (
    (
        "Klant is tevreden over de huidige leverancier maar wil een vergelijking.",
        "Wil graag een demo in de winkel, liefst op maandag.",
        "Prijs is belangrijk; installatie mag in twee fases.",
        "Terugbellen na de vakantie.",
    ),
    (
        "Happy with the current supplier but wants a comparison.",
        "Would like a demo in the shop, ideally on a Monday.",
        "Price matters; installation may happen in two phases.",
        "Call back after the holidays.",
    ),
)
EMAIL_BODIES = (
    (
        "Beste,\n\nHierbij de offerte zoals besproken. Laat gerust weten als er vragen zijn.\n\n"
        "Met vriendelijke groet,\nKantoor & Kassa",
        "Beste,\n\nDank voor het prettige gesprek. Zoals afgesproken komen we volgende week "
        "langs voor een demonstratie.\n\nMet vriendelijke groet,\nKantoor & Kassa",
    ),
    (
        "Hello,\n\nPlease find our quote attached, as discussed. Any questions, just ask.\n\n"
        "Kind regards,\nKantoor & Kassa",
        "Hello,\n\nThanks for your time today. As agreed we will visit next week for a "
        "demonstration.\n\nKind regards,\nKantoor & Kassa",
    ),
)
APPOINTMENT_PLACES = (
    ("Bij de klant", "Showroom Utrecht", "Microsoft Teams", "Telefonisch"),
    ("At the customer's", "Showroom Utrecht", "Microsoft Teams", "By phone"),
)

# fmt: on

# --------------------------------------------------------------------------------------------
# Stored formats
# --------------------------------------------------------------------------------------------


class _Clock:
    """Days relative to today and seconds of the day, as the strings SQLite stores.

    ``days[offset]`` is the stored form of the date ``offset`` days from today: the list holds
    today and the days after it from the front and the days before today from the back, so
    Python's negative indexing finds past days directly. ``times[second]`` is the time of day
    that follows a date in a stored timestamp. A value then costs a list lookup (and a
    concatenation) instead of a datetime object and two conversions. Dates come from the
    ``Date`` column's own bind processor and timestamps are checked against the
    ``UtcDateTime`` column's, so the stored text is exactly what the ORM would store.
    """

    PAST_DAYS = 1200
    FUTURE_DAYS = 1000

    def __init__(self, today: date) -> None:
        self.today = today
        dialect = sqlite_dialect.dialect()
        table = _table(OpportunityRow)
        date_bind = table.c.close_date.type.dialect_impl(dialect).bind_processor(dialect)
        stamp_bind = table.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
        assert date_bind is not None and stamp_bind is not None
        offsets = [*range(self.FUTURE_DAYS + 1), *range(-self.PAST_DAYS, 0)]
        self.days: list[str] = [date_bind(today + timedelta(days=o)) for o in offsets]
        self.times: list[str] = [
            f" {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000"
            for second in range(86_400)
        ]
        midnight = datetime.combine(today, datetime.min.time(), UTC)
        for offset, second in ((0, 0), (-1, 1), (-self.PAST_DAYS, 59), (7, 45_296), (1, 86_399)):
            expected = stamp_bind(midnight + timedelta(days=offset, seconds=second))
            if expected != self.stamp(offset, second):
                raise RuntimeError(f"unexpected SQLite date format {expected!r}; update demo.py")

    def stamp(self, offset: int, second: int) -> str:
        """The stored form of a UTC moment: day offset and second of that day."""
        return self.days[offset] + self.times[second]

    def year(self, offset: int) -> int:
        """The year of the day ``offset`` days from today."""
        return int(self.days[offset][:4])

    def moment(self, offset: int, second: int) -> datetime:
        """The same moment as an aware datetime (for the few rows written through Core)."""
        return datetime.combine(
            self.today + timedelta(days=offset), datetime.min.time(), UTC
        ) + timedelta(seconds=second)

    def date_of(self, offset: int) -> date:
        return self.today + timedelta(days=offset)


class _BulkTable:
    """``executemany`` of plain tuples into one table, with a statement compiled by Core.

    Every column must get a value: Python-side defaults are not applied on this path, so a
    column added to the schema without a demo value fails loudly here instead of silently.
    """

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        missing = set(table.columns.keys()) - set(columns)
        unknown = set(columns) - set(table.columns.keys())
        if missing or unknown:
            raise RuntimeError(
                f"demo.py is out of step with the table {table.name}: "
                f"no demo value for {sorted(missing)}, unknown columns {sorted(unknown)}"
            )
        compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(columns))
        order = list(compiled.positiontup or [])
        if sorted(order) != sorted(columns):
            raise RuntimeError(f"unexpected parameters in the INSERT for {table.name}: {order}")
        self._reorder = (
            None if order == list(columns) else itemgetter(*[columns.index(n) for n in order])
        )
        self._connection = connection
        self._sql = str(compiled)
        self.count = 0

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        if self._reorder is not None:
            rows = [self._reorder(row) for row in rows]
        self._connection.exec_driver_sql(self._sql, rows)
        self.count += len(rows)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _table(mapped: type[Base]) -> Table:
    table = mapped.__table__
    assert isinstance(table, Table)
    return table


def _ascii(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _capitalized(name: str) -> str:
    """``de Vries`` → ``De Vries`` where a surname starts a company name."""
    return name[:1].upper() + name[1:]


def _weighted(names: Sequence[str], weights: dict[str, int], default: int) -> list[int]:
    return [weights.get(name, default) for name in names]


def _markup_bp(product: _Product) -> int | None:
    """Markup over cost in hundredths of a percent, exactly as the domain computes it."""
    if not product.cost_cents:
        return None
    cost = Decimal(product.cost_cents) / 100
    price = Decimal(product.price_cents) / 100
    return int(((price - cost) / cost * 100).quantize(Decimal("0.01")) * 100)


def _file_size_text(size: int) -> str:
    if size >= 1_000_000_000:
        return f"{size / 1_000_000_000:.2f} GB"
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.0f} kB"


def _side_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES]


def _remove_database_files(path: Path) -> None:
    """Remove a database file and its journal/WAL side files (side files first)."""
    for side in _side_files(path):
        side.unlink(missing_ok=True)
    path.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Account:
    name: str
    lang: int
    street: str
    postal_code: str
    city: str
    domain: str
    phone: str


@dataclass(frozen=True)
class _Contact:
    full_name: str
    lang: int
    email: str


class _DemoWriter:
    """Generates the demo records and writes them on one connection, inside the caller's
    transaction; reference data (stages, lists, the owner) is read from the database."""

    def __init__(
        self,
        connection: Connection,
        opportunities: int,
        seed: int,
        colleagues: int,
        today: date,
        progress: Progress | None,
    ) -> None:
        self.conn = connection
        self.n = opportunities
        self.rng = Random(seed)
        self.colleague_count = colleagues
        self.clock = _Clock(today)
        self.progress = progress
        self.finish_units = max(1, int(opportunities * FINISH_SHARE))
        self.total_units = opportunities + self.finish_units
        self.accounts: list[_Account] = []
        self.contacts: list[_Contact] = []
        self.user_ids: list[int] = []
        self.user_emails: dict[int, str] = {}
        self.user_names: dict[int, str] = {}
        self.product_ids: list[int] = []
        self.marketing: list[tuple[int, int]] = []  # (id, start day offset)
        self.category_ids: list[int] = []
        self.account_count = self.contact_count = 0
        self.opportunity_count = self.line_count = self.stage_change_count = 0
        self.history_count = 0
        self._load_reference_data()

    # -- reference data ------------------------------------------------------------------

    def _load_reference_data(self) -> None:
        rows = self.conn.execute(
            text("SELECT id, name, kind, default_probability FROM sales_stages ORDER BY position")
        ).all()
        self.stages = [(int(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows]
        if not any(kind == StageKind.WON for _, _, kind, _ in self.stages) or not any(
            kind == StageKind.LOST for _, _, kind, _ in self.stages
        ):
            raise RuntimeError("the database has no Closed Won / Closed Lost stage")
        self.lists: dict[str, list[tuple[int, str]]] = {}
        for item_id, kind, name in self.conn.execute(
            text("SELECT id, kind, name FROM list_items WHERE active ORDER BY kind, position")
        ):
            self.lists.setdefault(str(kind), []).append((int(item_id), str(name)))
        owner = self.conn.execute(text("SELECT id FROM users WHERE is_owner")).scalar_one()
        self.owner_id = int(owner)

    def report(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(done, self.total_units), self.total_units)

    # -- people, companies and the catalog ----------------------------------------------

    def write_users(self) -> None:
        now = self.clock.moment(-800, 30_000)
        existing = {
            str(login).lower()
            for login in self.conn.execute(text("SELECT login FROM users")).scalars()
        }
        rows = []
        for index in range(self.colleague_count):
            if index < len(COLLEAGUES):
                name, login = COLLEAGUES[index]
            else:
                name, login = f"Colleague {index + 1}", f"colleague{index + 1}"
            if login.lower() in existing:
                login = f"{login}.{index + 1}"
            existing.add(login.lower())
            rows.append(
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@{OUR_DOMAIN}",
                    "is_owner": False,
                    "active": True,
                    "created_at": now,
                    "modified_at": now,
                    "version": 1,
                }
            )
        if rows:
            self.conn.execute(insert(_table(UserRow)), rows)
        for user_id, name, email in self.conn.execute(
            text("SELECT id, name, email FROM users ORDER BY id")
        ):
            self.user_ids.append(int(user_id))
            self.user_names[int(user_id)] = str(name)
            self.user_emails[int(user_id)] = str(email) or f"info@{OUR_DOMAIN}"

    def write_products(self) -> None:
        now = self.clock.moment(-820, 28_000)
        self.conn.execute(
            insert(_table(ProductRow)),
            [
                {
                    "name": p.name,
                    "description": p.description,
                    "unit_cost_cents": p.cost_cents,
                    "unit_price_cents": p.price_cents,
                    "taxable": p.taxable,
                    "active": True,
                    "created_at": now,
                    "modified_at": now,
                    "version": 1,
                }
                for p in PRODUCTS
            ],
        )
        by_name = {
            str(name): int(i)
            for name, i in self.conn.execute(text("SELECT name, id FROM products"))
        }
        self.product_ids = [int(by_name[p.name]) for p in PRODUCTS]

    def write_categories(self) -> None:
        now = self.clock.moment(-800, 31_000)
        existing = {
            str(n).lower() for n in self.conn.execute(text("SELECT name FROM categories")).scalars()
        }
        rows = [
            {"name": name, "color": color, "created_at": now, "modified_at": now, "version": 1}
            for name, color in CATEGORIES
            if name.lower() not in existing
        ]
        if rows:
            self.conn.execute(insert(_table(CategoryRow)), rows)
        self.category_ids = [
            int(i) for i in self.conn.execute(text("SELECT id FROM categories")).scalars()
        ]

    def write_marketing(self) -> None:
        types = self.lists.get(ListKind.MARKETING_TYPE.value, [])
        rows: list[dict[str, Any]] = []
        for name, type_position, start, days, budget in MARKETING:
            end = start + days
            status = "planned" if start > 0 else "completed" if end < 0 else "active"
            spent = 0 if status == "planned" else budget * self.rng.randrange(80, 111) // 100
            created = self.clock.moment(start - self.rng.randrange(20, 60), 34_000)
            rows.append(
                {
                    "name": f"{name} {self.clock.date_of(start).year}",
                    "type_id": types[type_position - 1][0] if len(types) >= type_position else None,
                    "start_date": self.clock.date_of(start),
                    "end_date": self.clock.date_of(end),
                    "budgeted_cost_cents": budget * 100,
                    "actual_cost_cents": spent * 100,
                    "campaign_code": f"KK-{self.clock.date_of(start):%y%m}-{len(rows) + 1:02d}",
                    "status": status,
                    "assigned_to_id": self.rng.choice(self.user_ids),
                    "comments": "",
                    "created_at": created,
                    "modified_at": created,
                    "version": 1,
                }
            )
        self.conn.execute(insert(_table(MarketingActivityRow)), rows)
        ids = self.conn.execute(text("SELECT id FROM marketing_activities ORDER BY id")).scalars()
        self.marketing = [
            (int(i), start)
            for i, (_, _, start, _, _) in zip(ids, MARKETING, strict=True)
            if start < -1
        ]

    def _company_name(self, lang: int) -> str:
        rng = self.rng
        if lang == NL:
            pick = rng.random()
            if pick < 0.45:
                name = f"{rng.choice(NL_PREFIX_TRADES)} {rng.choice(LAST_NAMES[NL])}"
            elif pick < 0.85:
                name = f"{_capitalized(rng.choice(LAST_NAMES[NL]))} {rng.choice(NL_SUFFIX_TRADES)}"
            else:
                name = f"{rng.choice(NL_SIGN_TRADES)} {rng.choice(NL_SIGN_NAMES)}"
            legal = rng.random()
            return name + (" B.V." if legal < 0.2 else " V.O.F." if legal < 0.25 else "")
        if rng.random() < 0.6:
            name = f"{rng.choice(LAST_NAMES[EN])} {rng.choice(EN_SUFFIX_TRADES)}"
        else:
            name = f"{rng.choice(EN_PLACES)} {rng.choice(EN_PLACE_TRADES)}"
        return name + (" Ltd" if rng.random() < 0.25 else "")

    def _address(self, lang: int) -> tuple[str, str, str, str]:
        """Street, postal code, city and phone number of a random business address."""
        rng = self.rng
        number = rng.randrange(1, 180)
        if lang == NL:
            city, area, low, high = rng.choice(NL_CITIES)
            letters = rng.choice(NL_POSTCODE_LETTERS) + rng.choice(NL_POSTCODE_LETTERS)
            postal = f"{rng.randrange(low, high + 1)} {letters}"
            local = str(rng.randrange(10**8, 10**9))[: 9 - len(area)]
            phone = f"+31 {area} {local[:3]} {local[3:]}"
            return f"{rng.choice(STREETS[NL])} {number}", postal, city, phone
        city, prefix, districts = rng.choice(UK_CITIES)
        letters = rng.choice(UK_POSTCODE_LETTERS) + rng.choice(UK_POSTCODE_LETTERS)
        postal = f"{rng.choice(districts)} {rng.randrange(1, 10)}{letters}"
        phone = f"+44 {prefix}{rng.randrange(0, 1000):03d}"
        return f"{number} {rng.choice(STREETS[EN])}", postal, city, phone

    def write_accounts(self) -> None:
        rng = self.rng
        count = max(50, self.n // 20)
        table = _table(AccountRow)
        columns = [c.name for c in table.columns]
        bulk = _BulkTable(self.conn, table, columns)
        seen: set[str] = set()
        rows: list[Row] = []
        users = self.user_ids
        for index in range(count):
            lang = NL if rng.random() < 0.6 else EN
            street, postal, city, phone = self._address(lang)
            name = self._company_name(lang)
            if name in seen:
                name = f"{name} {city}"
                while name in seen:
                    name = f"{self._company_name(lang)} {city}"
            seen.add(name)
            base = _ascii(name.removesuffix(" B.V.").removesuffix(" V.O.F.").removesuffix(" Ltd"))
            domain = f"{base}.example"
            account = _Account(name, lang, street, postal, city, domain, phone)
            self.accounts.append(account)
            created = -rng.randrange(400, 1100)
            modified = created + rng.randrange(0, -created)
            values = {
                "id": index + 1,
                "name": name,
                "phone": phone,
                "email": f"info@{domain}",
                "web_page": f"https://www.{domain}",
                "street": street,
                "postal_code": postal,
                "city": city,
                "country": COUNTRIES[lang],
                "assigned_to_id": rng.choice(users),
                "comments": "",
                "created_at": self.clock.stamp(created, rng.randrange(25_000, 61_000)),
                "modified_at": self.clock.stamp(modified, rng.randrange(25_000, 61_000)),
                "version": 1,
            }
            rows.append(tuple(values[c] for c in columns))
            if len(rows) >= CHUNK:
                bulk.write(rows)
                rows = []
        bulk.write(rows)
        self.account_count = bulk.count

    def write_contacts(self) -> None:
        rng = self.rng
        count = max(80, self.n // 10)
        table = _table(ContactRow)
        columns = [c.name for c in table.columns]
        bulk = _BulkTable(self.conn, table, columns)
        rows: list[Row] = []
        accounts = self.accounts
        for index in range(count):
            if rng.random() < 0.85:
                account_index = int(len(accounts) * rng.random() ** 1.3)
                account: _Account | None = accounts[account_index]
                assert account is not None
                lang = account.lang if rng.random() < 0.9 else 1 - account.lang
            else:
                account_index, account = -1, None
                lang = NL if rng.random() < 0.6 else EN
            first = rng.choice(FIRST_NAMES[lang])
            last = rng.choice(LAST_NAMES[lang])
            full_name = f"{first} {last}"
            local = f"{_ascii(first)}.{_ascii(last)}"
            if account is not None:
                street, postal, city = account.street, account.postal_code, account.city
                email = f"{local}@{account.domain}"
                phone = f"{account.phone[:-2]}{rng.randrange(10, 100)}"
                country = COUNTRIES[account.lang]
                web = f"https://www.{account.domain}"
                job = rng.choice(JOB_TITLES[account.lang])
            else:
                street, postal, city, phone = self._address(lang)
                email = f"{local}@mail.example"
                country = COUNTRIES[lang]
                web = ""
                job = rng.choice(("Zzp'er", "Freelancer", "Consultant", ""))
            if (account.lang if account is not None else lang) == NL:
                digits = str(rng.randrange(10_000_000, 100_000_000))
                mobile = f"+31 6 {digits[:4]} {digits[4:]}"
            else:
                mobile = f"+44 7700 900{rng.randrange(0, 1000):03d}"
            self.contacts.append(_Contact(full_name, lang, email))
            created = -rng.randrange(300, 1000)
            modified = created + rng.randrange(0, -created)
            values = {
                "id": index + 1,
                "first_name": first,
                "last_name": last,
                "full_name": full_name,
                "account_id": account_index + 1 if account is not None else None,
                "job_title": job,
                "business_phone": phone,
                "mobile_phone": mobile,
                "email": email,
                "web_page": web,
                "street": street,
                "postal_code": postal,
                "city": city,
                "country": country,
                "assigned_to_id": rng.choice(self.user_ids),
                "comments": "",
                "created_at": self.clock.stamp(created, rng.randrange(25_000, 61_000)),
                "modified_at": self.clock.stamp(modified, rng.randrange(25_000, 61_000)),
                "version": 1,
            }
            rows.append(tuple(values[c] for c in columns))
            if len(rows) >= CHUNK:
                bulk.write(rows)
                rows = []
        bulk.write(rows)
        self.contact_count = bulk.count

    # -- opportunities ---------------------------------------------------------------------

    def write_opportunities(self) -> None:
        """Opportunities with their lines, stage history rows and a few categories.

        One tight loop on purpose: per-row work is kept to local lookups and integer
        arithmetic, the random choices that need no per-row logic are drawn for a whole chunk
        at once, and ``int(random() * n)`` stands in for ``randrange(n)``, which costs five
        times as much (its slight bias does not matter for demo data).
        """
        rng = self.rng
        random = rng.random
        choices = rng.choices
        clock = self.clock
        days, times, year = clock.days, clock.times, clock.year

        opp_bulk = _BulkTable(self.conn, _table(OpportunityRow), OPPORTUNITY_COLUMNS)
        line_bulk = _BulkTable(self.conn, _table(OpportunityLineRow), LINE_COLUMNS)
        history_bulk = _BulkTable(self.conn, _table(StageHistoryRow), STAGE_HISTORY_COLUMNS)
        category_bulk = _BulkTable(
            self.conn, _table(OpportunityCategoryRow), ("opportunity_id", "category_id")
        )

        stages = self.stages
        stage_weights = [STAGE_WEIGHTS.get(name, OTHER_STAGE_WEIGHT) for _, name, _, _ in stages]
        open_stages = [s for s in stages if s[2] == StageKind.OPEN]
        late_open = open_stages[-2:]
        quoted_stages = {s[0] for s in open_stages[-2:]} | {
            s[0] for s in stages if s[2] != StageKind.OPEN
        }

        def items(kind: ListKind, weights: dict[str, int]) -> tuple[list[int | None], list[int]]:
            found = self.lists.get(kind.value, [])
            if not found:
                return [None], [1]
            return [i for i, _ in found], _weighted([n for _, n in found], weights, 5)

        types, type_w = items(ListKind.TYPE, TYPE_WEIGHTS)
        sources, source_w = items(ListKind.SOURCE, SOURCE_WEIGHTS)
        terms, terms_w = items(ListKind.PAYMENT_TERMS, TERMS_WEIGHTS)
        source_names = dict(self.lists.get(ListKind.SOURCE.value, []))
        referral_ids = {i for i, n in source_names.items() if n == "Referral"}

        users = self.user_ids
        user_weights = [3 if u == self.owner_id else 2 for u in users]
        themes = THEMES
        theme_w = [t.weight for t in themes]
        theme_titles = [t.titles for t in themes]
        theme_products = [t.products for t in themes]
        catalog = [
            (self.product_ids[i], p.name, p.cost_cents, p.price_cents, p.unit, p.taxable,
             _markup_bp(p))
            for i, p in enumerate(PRODUCTS)
        ]  # fmt: skip
        accounts, contacts = self.accounts, self.contacts
        n_accounts, n_contacts = len(accounts), len(contacts)
        marketing = self.marketing
        categories = self.category_ids

        n = self.n
        next_line_id = 1
        for chunk_start in range(1, n + 1, CHUNK):
            size = min(CHUNK, n + 1 - chunk_start)
            stage_picks = choices(stages, stage_weights, k=size)
            type_picks = choices(types, type_w, k=size)
            source_picks = choices(sources, source_w, k=size)
            terms_picks = choices(terms, terms_w, k=size)
            user_picks = choices(users, user_weights, k=size)
            theme_picks = choices(range(len(themes)), theme_w, k=size)
            line_counts = choices(LINE_COUNTS, LINE_COUNT_WEIGHTS, k=size)
            opp_rows: list[Row] = []
            line_rows: list[Row] = []
            history_rows: list[Row] = []
            category_rows: list[Row] = []
            for offset in range(size):
                opp_id = chunk_start + offset
                stage_id, stage_name, kind, default_probability = stage_picks[offset]
                user = user_picks[offset]

                # Link: an account (60 %) or a business contact, popular ones more often.
                if random() < 0.6:
                    a = int(n_accounts * random() ** 1.6)
                    account_id, contact_id = a + 1, None
                    link_name, lang = accounts[a].name, accounts[a].lang
                else:
                    c = int(n_contacts * random() ** 1.3)
                    account_id, contact_id = None, c + 1
                    link_name, lang = contacts[c].full_name, contacts[c].lang

                # Initiated by: a marketing activity, a referring contact or account, or nobody.
                source_id = source_picks[offset]
                init_account = init_contact = init_marketing = None
                pick = random()
                if marketing and pick < 0.12:
                    init_marketing, start = marketing[int(random() * len(marketing))]
                    created = min(start + int(random() * 90), -1)
                else:
                    if source_id in referral_ids or pick < 0.17:
                        if random() < 0.6:
                            init_contact = int(random() * n_contacts) + 1
                        else:
                            init_account = int(random() * n_accounts) + 1
                    created = -1 - int(730 * random() ** (1.4 if kind == "open" else 1.0))
                created_sec = 23_400 + int(random() * 37_800)

                # Dates by stage: closed ones closed in the past, open ones close soon.
                if kind == "open":
                    probability = default_probability if default_probability is not None else 10
                    probability = min(95, max(5, probability + JITTER[int(random() * len(JITTER))]))
                    close = max(created + 7, int(random() * 396) - 30)
                    entered = created + int(random() * (-created))
                    actual_close = None
                    reminder = days[int(random() * 15)] + times[28_800] if random() < 0.08 else None
                    note = "created"
                    from_stage = None
                else:
                    probability = 100 if kind == "won" else 0
                    closed_day = min(created + 7 + int(random() * 193), -1)
                    close = closed_day if random() < 0.7 else closed_day + int(random() * 41) - 20
                    entered = closed_day
                    actual_close = days[closed_day]
                    reminder = None
                    note = ""
                    from_stage = late_open[int(random() * len(late_open))] if late_open else None
                entered_sec = 23_400 + int(random() * 37_800) if entered != created else created_sec
                if entered == created and entered_sec < created_sec:
                    entered_sec = created_sec
                modified = entered + int(random() * min(30, -entered))
                modified_sec = 23_400 + int(random() * 37_800)
                if modified == entered and modified_sec < entered_sec:
                    modified_sec = entered_sec
                quoted = stage_id in quoted_stages
                expiration = days[close + 30] if quoted and random() < 0.7 else None
                delivery = days[close + 7 + int(random() * 54)] if random() < 0.4 else None

                # Products and services, with exact integer line totals.
                theme = theme_picks[offset]
                products = theme_products[theme]
                total = 0
                used: set[int] = set()
                for position in range(1, line_counts[offset] + 1):
                    # Each line a different item: mostly the theme's, now and then another.
                    if position == 1:
                        pick = products[0 if random() < 0.6 else 1]
                    else:
                        pick = products[int(random() * len(products))]
                        while pick in used:
                            pick = (
                                products[int(random() * len(products))]
                                if random() < 0.7
                                else int(random() * len(catalog))
                            )
                    used.add(pick)
                    pid, pname, cost, price, unit, taxable, markup = catalog[pick]
                    if unit == PIECE:
                        quantity = PIECE_QUANTITIES[int(random() * len(PIECE_QUANTITIES))]
                    elif unit == HOUR:
                        quantity = (4 + int(random() * 157)) * 500
                    elif unit == YEAR:
                        quantity = 1000 if random() < 0.8 else (2 + int(random() * 2)) * 1000
                    elif unit == MONTH:
                        quantity = MONTH_QUANTITIES[int(random() * len(MONTH_QUANTITIES))]
                    elif unit == LICENCE:
                        quantity = (1 + int(random() * 25)) * 1000
                    else:
                        quantity = (1 + int(random() * 4)) * 1000
                    # Half-up rounding in integers: round(a / d) == (2 * a + d) // (2 * d).
                    gross = (quantity * price * 2 + 1000) // 2000  # quantity is in 1/1000
                    discount_pick = random()
                    if discount_pick < 0.75:
                        discount_bp = discount = 0
                    elif discount_pick < 0.9:
                        discount_bp = DISCOUNT_BP[int(random() * len(DISCOUNT_BP))]
                        discount = (gross * discount_bp * 2 + 10_000) // 20_000
                    else:
                        discount_bp = 0
                        discount = min(
                            gross, DISCOUNT_AMOUNTS[int(random() * len(DISCOUNT_AMOUNTS))]
                        )
                    line_total = gross - discount
                    total += line_total
                    line_rows.append(
                        (next_line_id, opp_id, position, pid, pname, "", cost, price,
                         quantity, discount_bp, discount, markup, taxable, line_total)
                    )  # fmt: skip
                    next_line_id += 1

                titles = theme_titles[theme][lang]
                title = titles[int(random() * len(titles))]
                if "{" in title:
                    title = title.format(name=link_name, year=year(close))
                competitors = (
                    ", ".join(rng.sample(COMPETITORS, 1 + int(random() * 2)))
                    if random() < 0.3
                    else ""
                )
                comments = (
                    COMMENTS[lang][int(random() * len(COMMENTS[lang]))] if random() < 0.15 else ""
                )
                entered_at = days[entered] + times[entered_sec]
                opp_rows.append(
                    (
                        opp_id, title, user, type_picks[offset], account_id, contact_id,
                        link_name, probability, total, (total * probability * 2 + 100) // 200,
                        days[close], terms_picks[offset], expiration, delivery, source_id,
                        init_account, init_contact, init_marketing, competitors, stage_id,
                        entered_at, kind, actual_close, reminder, comments,
                        days[created] + times[created_sec], days[modified] + times[modified_sec], 1,
                    )
                )  # fmt: skip
                history_rows.append(
                    (
                        opp_id, opp_id,
                        from_stage[0] if from_stage else None, stage_id,
                        from_stage[1] if from_stage else "", stage_name,
                        entered_at, user, note,
                    )
                )  # fmt: skip
                if categories and random() < 0.06:
                    category_rows.append((opp_id, categories[int(random() * len(categories))]))
            opp_bulk.write(opp_rows)
            line_bulk.write(line_rows)
            history_bulk.write(history_rows)
            category_bulk.write(list(dict.fromkeys(category_rows)))
            self.report(chunk_start + size - 1)
        self.opportunity_count = opp_bulk.count
        self.line_count = line_bulk.count
        self.stage_change_count = history_bulk.count

    # -- communication history --------------------------------------------------------------

    def write_history(self) -> None:
        """Notes, phone logs, e-mails, tasks and appointments for a sample of records."""
        rng = self.rng
        rows: list[dict[str, Any]] = []
        sample = min(self.n, HISTORY_OPPORTUNITIES)
        if sample:
            step = self.n / sample
            ids = sorted({int(i * step) + 1 for i in range(sample)})
            opportunities = _table(OpportunityRow)
            found = self.conn.execute(
                select(
                    opportunities.c.id,
                    opportunities.c.title,
                    opportunities.c.link_account_id,
                    opportunities.c.link_contact_id,
                    opportunities.c.assigned_to_id,
                    opportunities.c.created_at,
                    opportunities.c.status,
                    opportunities.c.actual_close_date,
                ).where(opportunities.c.id.in_(ids))
            ).all()
            for opp_id, title, account_id, contact_id, user, created, status, closed in found:
                first = (created.date() - self.clock.today).days
                last = -1
                if status != "open" and closed is not None:
                    last = min(-1, (closed - self.clock.today).days)
                to_name, to_email, lang = self._recipient(account_id, contact_id)
                for _ in range(rng.randrange(1, 5)):
                    when = rng.randrange(first, max(first, last) + 1)
                    rows.append(
                        self._history_item(
                            title, when, user or self.owner_id, to_name, to_email, lang,
                            opportunity_id=opp_id,
                        )
                    )  # fmt: skip
        for index in rng.sample(
            range(len(self.accounts)), min(HISTORY_ACCOUNTS, len(self.accounts))
        ):
            account = self.accounts[index]
            for _ in range(rng.randrange(1, 3)):
                rows.append(
                    self._history_item(
                        account.name, -rng.randrange(1, 400), rng.choice(self.user_ids),
                        account.name, f"info@{account.domain}", account.lang,
                        account_id=index + 1,
                    )
                )  # fmt: skip
        for index in rng.sample(
            range(len(self.contacts)), min(HISTORY_CONTACTS, len(self.contacts))
        ):
            contact = self.contacts[index]
            rows.append(
                self._history_item(
                    contact.full_name, -rng.randrange(1, 400), rng.choice(self.user_ids),
                    contact.full_name, contact.email, contact.lang, contact_id=index + 1,
                )
            )  # fmt: skip
        if rows:
            self.conn.execute(insert(_table(HistoryItemRow)), rows)
        self.history_count = len(rows)

    def _recipient(self, account_id: int | None, contact_id: int | None) -> tuple[str, str, int]:
        if account_id is not None:
            account = self.accounts[account_id - 1]
            return account.name, f"info@{account.domain}", account.lang
        assert contact_id is not None
        contact = self.contacts[contact_id - 1]
        return contact.full_name, contact.email, contact.lang

    def _history_item(
        self,
        about: str,
        day_offset: int,
        user_id: int,
        to_name: str,
        to_email: str,
        lang: int,
        **links: int,
    ) -> dict[str, Any]:
        rng = self.rng
        kind = rng.choices(HISTORY_KINDS, HISTORY_KIND_WEIGHTS)[0]
        subjects = HISTORY_SUBJECTS[kind][lang]
        subject = rng.choice(subjects).format(about=about)
        second = rng.randrange(27_000, 59_400)
        when = self.clock.moment(day_offset, second)
        user_email = self.user_emails.get(user_id, f"info@{OUR_DOMAIN}")
        item: dict[str, Any] = {
            "kind": kind,
            "subject": subject[:255],
            "body": "",
            "occurred_at": when,
            "duration_seconds": None,
            "direction": None,
            "due_date": None,
            "status": None,
            "priority": None,
            "percent_complete": None,
            "reminder_at": None,
            "assigned_to_id": None,
            "email_from": "",
            "email_to": "",
            "location": "",
            "end_at": None,
            "attendees": "",
            "file_name": "",
            "file_size": None,
            "opportunity_id": None,
            "account_id": None,
            "contact_id": None,
            "project_id": None,
            "created_by_id": user_id,
            "created_at": when,
            "modified_at": when,
            "version": 1,
        }
        item.update(links)
        if kind == "note":
            item["body"] = rng.choice(NOTE_BODIES[lang])
        elif kind == "phone_log":
            item["duration_seconds"] = rng.randrange(30, 1800)
            item["direction"] = rng.choice(("incoming", "outgoing"))
            item["body"] = rng.choice(NOTE_BODIES[lang])
        elif kind == "email":
            item["email_from"] = f"{self.user_names.get(user_id, 'Kantoor & Kassa')} <{user_email}>"
            item["email_to"] = f"{to_name} <{to_email}>"
            item["body"] = rng.choice(EMAIL_BODIES[lang])
        elif kind == "task":
            due = day_offset + rng.randrange(1, 15)
            done = due < 0 and rng.random() < 0.8
            item["due_date"] = self.clock.date_of(due)
            item["status"] = "completed" if done else rng.choice(("not_started", "in_progress"))
            item["priority"] = rng.choice(("low", "normal", "normal", "high"))
            item["percent_complete"] = 100 if done else rng.choice((0, 0, 25, 50))
            item["assigned_to_id"] = user_id
        else:  # appointment
            item["location"] = rng.choice(APPOINTMENT_PLACES[lang])
            item["end_at"] = when + timedelta(minutes=rng.choice((30, 45, 60, 90)))
            item["attendees"] = f"{to_name} <{to_email}>"
        return item


# --------------------------------------------------------------------------------------------
# Building the file
# --------------------------------------------------------------------------------------------


def existing_data(path: Path) -> str | None:
    """Describe what ``path`` holds that a demo build would destroy; ``None`` when nothing.

    A missing or empty file, or a SQLite database whose tables are all empty, holds nothing.

    Raises:
        DemoTargetError: ``path`` is a folder, not a SQLite file, or another program's
            database: those are never overwritten, not even with ``force``.
    """
    if path.is_dir():
        raise DemoTargetError(f"{path} is a folder. Give the path of a database file.")
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        check_sqlite_file(path)
    except DatabaseOpenError as exc:
        raise DemoTargetError(
            f"{exc.message} The demo will not overwrite it; choose another --database."
        ) from exc
    try:
        # Read-write on purpose though only read: a read-only connection to a WAL database
        # leaves -wal and -shm files behind, where the last ordinary connection removes them.
        connection = sqlite3.connect(path)
        try:
            rows = connection.execute(
                "SELECT name, sql LIKE 'CREATE VIRTUAL%' FROM sqlite_master "
                "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            virtual = tuple(f"{name}_" for name, is_virtual in rows if is_virtual)
            # Virtual tables and their shadow tables mirror other tables; count those.
            tables = [
                str(name)
                for name, is_virtual in rows
                if not is_virtual and not str(name).startswith(virtual or ("\0",))
            ]
            filled = {
                name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                for name in tables
                if name != "alembic_version"
            }
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise DemoTargetError(
            f"{path} could not be read ({exc}); the demo will not overwrite it."
        ) from exc
    filled = {name: count for name, count in filled.items() if count}
    if not filled:
        return None
    shown = ("opportunities", "accounts", "business_contacts", "users")
    parts = [f"{filled[n]:,} {n.replace('_', ' ')}" for n in shown if n in filled]
    return ", ".join(parts) or f"{sum(filled.values()):,} rows"


def _bulk_engine(path: Path) -> Engine:
    """An engine for the one big loading transaction, tuned for speed over durability.

    Durability does not matter here: the file is a temporary one that is deleted unless the
    build completes, so the rollback journal stays in memory and nothing is synced.
    """
    engine = create_engine(to_url(path))

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in (
                "journal_mode = MEMORY",
                "synchronous = OFF",
                "foreign_keys = OFF",
                "cache_size = -262144",
                "temp_store = MEMORY",
                "threads = 2",  # helper threads for the sorts of CREATE INDEX
            ):
                cursor.execute(f"PRAGMA {pragma}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN EXCLUSIVE")

    return engine


BULK_TABLES = (
    "accounts",
    "business_contacts",
    "opportunities",
    "opportunity_lines",
    "stage_history",
    "opportunity_categories",
)


def _set_aside_indexes(connection: Connection) -> tuple[list[str], list[str], list[str]]:
    """Drop the bulk tables' secondary indexes and FTS-feeding triggers; return how to redo.

    Returns the CREATE INDEX statements, the CREATE TRIGGER statements (both exactly as the
    migration stored them) and the FTS5 tables to rebuild afterwards.
    """
    fts_tables = [
        str(name)
        for (name,) in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
        )
    ]
    marks = ",".join("?" * len(BULK_TABLES))
    indexes = connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY rowid",
        BULK_TABLES,
    ).all()
    triggers = [
        (str(name), str(sql))
        for name, sql in connection.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND tbl_name IN ({marks}) ORDER BY rowid",
            BULK_TABLES,
        )
        if any(fts.lower() in str(sql).lower() for fts in fts_tables)
    ]
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    for name, _ in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return [str(sql) for _, sql in indexes], [sql for _, sql in triggers], fts_tables


def _finish(
    connection: Connection,
    writer: _DemoWriter,
    indexes: list[str],
    triggers: list[str],
    fts_tables: list[str],
) -> None:
    """Re-create indexes and triggers, rebuild full-text indexes and gather statistics."""
    steps: list[str] = [
        *indexes,
        *triggers,
        *(f'INSERT INTO "{t}"("{t}") VALUES (\'rebuild\')' for t in fts_tables),
        "ANALYZE",
    ]
    # Rebuilding a full-text index costs about as much as five ordinary indexes.
    weights = [5 if "rebuild" in step else 1 for step in steps]
    done = 0
    for step, weight in zip(steps, weights, strict=True):
        connection.exec_driver_sql(step)
        done += weight
        writer.report(writer.n + writer.finish_units * done // sum(weights))


def _write_demo(
    path: Path,
    opportunities: int,
    seed: int,
    colleagues: int,
    today: date,
    progress: Progress | None,
) -> _DemoWriter:
    engine = _bulk_engine(path)
    try:
        with engine.connect() as connection, connection.begin():
            writer = _DemoWriter(connection, opportunities, seed, colleagues, today, progress)
            writer.report(0)
            indexes, triggers, fts_tables = _set_aside_indexes(connection)
            writer.write_users()
            writer.write_products()
            writer.write_categories()
            writer.write_marketing()
            writer.write_accounts()
            writer.write_contacts()
            writer.write_opportunities()
            writer.write_history()
            _finish(connection, writer, indexes, triggers, fts_tables)
            writer.report(writer.total_units)
        # Leave the file in WAL mode, as the program makes it (outside any transaction).
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
        finally:
            raw.close()
    finally:
        engine.dispose()
    return writer


def build_demo(
    path: Path,
    opportunities: int,
    *,
    seed: int = 1,
    progress: Progress | None = None,
    owner_login: str | None = None,
    colleagues: int = DEFAULT_COLLEAGUES,
    force: bool = False,
    today: date | None = None,
) -> DemoSummary:
    """Build a demo database with ``opportunities`` opportunities at ``path``.

    The file is built as ``<path>.tmp`` and renamed into place when complete, so ``path``
    either keeps what it had or gets the whole demo, never half of it.

    Args:
        path: The database file to create.
        opportunities: How many opportunities; accounts and contacts scale with it.
        seed: Seed of the random generator: same seed, size and day give the same data.
        progress: Called with ``(done, total)`` work units as the build proceeds (the first
            ``opportunities`` units are the opportunities written). Raising from it cancels
            the build; the exception propagates and nothing is left behind.
        owner_login: The database owner's login; by default whoever runs the program.
        colleagues: How many other users share the database (for Assigned to).
        force: Replace a ``path`` that already holds data.
        today: The day the data is built around (dates spread before and after it).

    Returns:
        What was written, how long it took and how large the file is.

    Raises:
        DemoTargetError: ``path`` holds data and ``force`` is false, or it is not a BCM
            Desktop database at all.
    """
    if opportunities < 0:
        raise ValueError("the number of opportunities cannot be negative")
    if colleagues < 0:
        raise ValueError("the number of colleagues cannot be negative")
    started = time.perf_counter()
    path = Path(path).expanduser().resolve()
    found = existing_data(path)
    if found and not force:
        raise DemoTargetError(
            f"{path} already holds data ({found}). Use --force to delete it and build the demo "
            "there, or choose another --database."
        )
    login = owner_login or os_login()
    temporary = path.with_name(path.name + ".tmp")
    _remove_database_files(temporary)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        database = open_database(temporary)
        try:
            ensure_defaults(unit_of_work_factory(database), login)
        finally:
            database.close()
        writer = _write_demo(
            temporary, opportunities, seed, colleagues, today or date.today(), progress
        )
        # Closing the last connection removed the WAL; a non-empty one left means someone
        # else has the temporary file open, and renaming it now could lose their pages.
        for side in _side_files(temporary):
            if side.exists():
                if side.stat().st_size:
                    raise RuntimeError(f"{side} is still in use; the demo was not installed")
                side.unlink()
        # Checked again: the target may have changed during the build.
        if existing_data(path) and not force:
            raise DemoTargetError(f"{path} was filled by another program during the build.")
        # A stale WAL next to the new file would be replayed into it: side files go first.
        for side in _side_files(path):
            side.unlink(missing_ok=True)
        os.replace(temporary, path)
    except BaseException:
        _remove_database_files(temporary)
        raise
    return DemoSummary(
        path=path,
        opportunities=writer.opportunity_count,
        lines=writer.line_count,
        stage_changes=writer.stage_change_count,
        accounts=writer.account_count,
        contacts=writer.contact_count,
        users=len(writer.user_ids),
        products=len(writer.product_ids),
        marketing_activities=len(MARKETING),
        history_items=writer.history_count,
        seconds=time.perf_counter() - started,
        file_size=path.stat().st_size,
    )


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


class _ConsoleProgress:
    """Progress on stderr every ~2 seconds or 5 %, on one line when stderr is a terminal."""

    def __init__(self, opportunities: int, stream: Any = None) -> None:
        self.opportunities = opportunities
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.last_time = 0.0
        self.last_percent = -100.0
        self.last_done = -1
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        percent = 100.0 * done / total if total else 100.0
        if done == self.last_done or (
            done < total and now - self.last_time < 2 and percent - self.last_percent < 5
        ):
            return
        self.last_time, self.last_percent, self.last_done = now, percent, done
        if done <= self.opportunities:
            what = f"{done:,} of {self.opportunities:,} opportunities"
        else:
            what = "indexes and search index"
        line = f"demo: {percent:5.1f} %  {what}  ({now - self.started:.0f} s)"
        if self.tty:
            end = "\n" if done >= total else ""
            print(f"\r{line:<72}", end=end, file=self.stream, flush=True)
        else:
            print(line, file=self.stream, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bcm_desktop.demo",
        description="Build a BCM Desktop database full of realistic demo data.",
    )
    parser.add_argument(
        "--opportunities", "-n", type=int, required=True, metavar="N",
        help="number of opportunities (accounts and contacts scale with it)",
    )  # fmt: skip
    parser.add_argument(
        "--database", "-d", type=Path, required=True, metavar="PATH",
        help="the database file to create",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (1)")
    parser.add_argument(
        "--users", type=int, default=DEFAULT_COLLEAGUES, metavar="K",
        help=f"colleagues sharing the database besides the owner ({DEFAULT_COLLEAGUES})",
    )  # fmt: skip
    parser.add_argument(
        "--owner", metavar="LOGIN", help="login of the database owner (default: your login)"
    )
    parser.add_argument(
        "--force", action="store_true", help="delete an existing database at PATH and rebuild"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 built, 1 refused or failed)."""
    args = _parser().parse_args(argv)
    if args.opportunities < 0 or args.users < 0:
        print("demo: --opportunities and --users cannot be negative.", file=sys.stderr)
        return 1
    try:
        summary = build_demo(
            args.database,
            args.opportunities,
            seed=args.seed,
            progress=_ConsoleProgress(args.opportunities),
            owner_login=args.owner,
            colleagues=args.users,
            force=args.force,
        )
    except DomainError as exc:
        print(f"demo: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ndemo: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        print(f"demo: the demo database could not be built: {exc}", file=sys.stderr)
        return 1
    print(summary.one_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
