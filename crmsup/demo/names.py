"""Pools of names, places and job titles for demo data.

Several cultures, with their diacritics (Ø, ł, ş, ễ, í …), so the screens, the sorting and
the printed forms meet real names. Each site recruits mostly from its own city's cultures and
partly from everyone else's, as contact centres do. Nothing here is a real person.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Culture:
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    #: Polish and similar surnames agree with the person: Kowalski, Kowalska.
    feminine_endings: tuple[tuple[str, str], ...] = ()

    def last_name(self, base: str, female: bool) -> str:
        if female:
            for masculine, feminine in self.feminine_endings:
                if base.endswith(masculine):
                    return base[: -len(masculine)] + feminine
        return base


def _t(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


CULTURES: MappingProxyType[str, Culture] = MappingProxyType(
    {
        "french": Culture(
            _t("Chloé, Léa, Manon, Camille, Inès, Zoé, Noémie, Gaëlle, Hélène, Amélie, Océane"),
            _t("Théo, Hugo, Lucas, Mathéo, Jérôme, Benoît, Clément, Sébastien, Maël, Loïc"),
            _t(
                "Martin, Bernard, Dubois, Lefèvre, Moreau, Girard, Rousseau, Fontaine, "
                "Chevalier, Garnier, Faure, Mercier, Lemaître, Bélanger, Côté, Pâris"
            ),
        ),
        "portuguese": Culture(
            _t("Inês, Beatriz, Leonor, Conceição, Mariana, Letícia, Sílvia, Joana"),
            _t("João, Gonçalo, Tomás, Sebastião, Rúben, Vítor, António, Duarte"),
            _t(
                "Silva, Gonçalves, Magalhães, Araújo, Simões, Antunes, Fonseca, Brandão, "
                "Guimarães, Pereira, Sá, Conceição"
            ),
        ),
        "polish": Culture(
            _t("Zofia, Małgorzata, Agnieszka, Katarzyna, Żaneta, Grażyna, Alicja, Ewa"),
            _t("Łukasz, Wojciech, Paweł, Michał, Bartłomiej, Jędrzej, Krzysztof, Tomasz"),
            _t(
                "Nowak, Wiśniewski, Wójcik, Kamiński, Lewandowski, Zieliński, Dąbrowski, "
                "Szymański, Woźniak, Kozłowski, Jabłoński, Król, Mazur, Nowicki"
            ),
            (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")),
        ),
        "irish": Culture(
            _t("Aoife, Siobhán, Niamh, Caoimhe, Sinéad, Róisín, Orla, Clodagh"),
            _t("Seán, Ciarán, Pádraig, Oisín, Eoin, Cillian, Darragh, Cathal"),
            _t(
                "O'Sullivan, Murphy, Kelly, Byrne, Ryan, O'Connor, Walsh, McCarthy, "
                "Ó Súilleabháin, Doyle, Gallagher, Ó Briain"
            ),
        ),
        "spanish": Culture(
            _t("Lucía, María José, Begoña, Nuria, Sofía, Ángela, Inmaculada, Ainhoa"),
            _t("Martín, Álvaro, Íñigo, Andrés, Jesús, Raúl, Joaquín, Sergio"),
            _t(
                "García, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Muñoz, Jiménez, "
                "Ibáñez, Domínguez, Núñez"
            ),
        ),
        "german": Culture(
            _t("Leonie, Hannah, Mia, Lena, Anja, Jana, Käthe, Sophie"),
            _t("Jürgen, Björn, Lukas, Jonas, Jörg, Sören, Maximilian, Tobias"),
            _t(
                "Müller, Schröder, Weiß, Köhler, Schäfer, Krüger, Hoffmann, Schmitt, "
                "Neumann, Groß, Vogel, Zimmermann, Fuchs, Böhm"
            ),
        ),
        "italian": Culture(
            _t("Giulia, Chiara, Francesca, Alessandra, Federica, Elisa, Martina, Ilaria"),
            _t("Niccolò, Lorenzo, Matteo, Giuseppe, Luca, Andrea, Nicolò, Pietro"),
            _t(
                "Rossi, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, "
                "Gallo, Conti, De Luca, D'Angelo"
            ),
        ),
        "estonian": Culture(
            _t("Kärt, Mari-Liis, Triin, Kadri, Liisa, Merike, Ülle, Helen"),
            _t("Jüri, Mart, Tõnis, Rasmus, Priit, Margus, Siim, Toomas"),
            _t("Tamm, Saar, Sepp, Mägi, Kask, Kukk, Rebane, Ilves, Pärn, Kõiv, Lepik, Õunapuu"),
        ),
        "maghrebi": Culture(
            _t("Yasmine, Fatima Zahra, Salma, Imane, Nour, Meryem, Khadija, Leïla"),
            _t("Youssef, Mehdi, Karim, Amine, Rachid, Sofiane, Hamza, Ismaïl"),
            _t(
                "El Amrani, Benali, Bouzid, Haddad, Alaoui, Bennani, Chraïbi, Tazi, Ziani, "
                "Belkacem, Mansouri, Ouali"
            ),
        ),
        "vietnamese": Culture(
            _t("Linh, Thảo, Ngọc, Huyền, Hương, Trang, Phương, Nhung"),
            _t("Minh, Quang, Đức, Tuấn, Hùng, Khánh, Dũng, Bảo"),
            _t("Nguyễn, Trần, Lê, Phạm, Hoàng, Vũ, Đặng, Bùi, Đỗ, Phan"),
        ),
        "nigerian": Culture(
            _t("Chiamaka, Ngozi, Adaeze, Folake, Yetunde, Ifeoma, Funmilayo, Nneka"),
            _t("Oluwaseun, Chinedu, Emeka, Tunde, Babajide, Kelechi, Obinna, Ayodele"),
            _t("Okafor, Adeyemi, Okonkwo, Balogun, Eze, Nwosu, Ogunleye, Adebayo, Chukwu"),
        ),
        "indian": Culture(
            _t("Priya, Ananya, Aditi, Kavya, Neha, Lakshmi, Meera, Shreya"),
            _t("Rohan, Arjun, Vikram, Siddharth, Aarav, Rahul, Karthik, Nikhil"),
            _t("Sharma, Patel, Iyer, Reddy, Nair, Gupta, Menon, Krishnan, Chatterjee, Desai"),
        ),
        "turkish": Culture(
            _t("Ayşe, Elif, Zeynep, Şule, Gülşen, Işıl, Büşra, Özge"),
            _t("Emre, Mehmet, Çağlar, Burak, Oğuz, Ömer, Barış, Serkan"),
            _t("Yılmaz, Kaya, Demir, Şahin, Çelik, Öztürk, Aydın, Arslan, Doğan, Kılıç"),
        ),
        "nordic": Culture(
            _t("Åsa, Sigrid, Ingrid, Mette, Freja, Astrid, Ida, Solveig"),
            _t("Ørjan, Søren, Bjørn, Mikkel, Leif, Håkon, Anders, Espen"),
            _t("Bøe, Hansen, Jørgensen, Lindqvist, Åberg, Nørgaard, Sørensen, Dahl, Strøm"),
        ),
        "filipino": Culture(
            _t("Maria Clara, Jasmine, Kristine, Angelica, Joy, Rowena, Maricel, Liza"),
            _t("Mark Anthony, John Paul, Jerome, Rommel, Jericho, Ramon, Noel, Paolo"),
            _t("Santos, Reyes, Cruz, Bautista, Dela Cruz, Mendoza, Villanueva, Ramos, Aquino"),
        ),
    }
)


@dataclass(frozen=True, slots=True)
class City:
    """A site: its name, the slug of its usernames, who it recruits, how it writes an
    address and a phone number (`#` is a random digit)."""

    name: str
    slug: str
    #: Local cultures and their weights; everyone else's share the rest (`LOCAL_SHARE`).
    cultures: tuple[tuple[str, int], ...]
    phone: str
    streets: tuple[str, ...]
    #: {number}, {street}, {postcode}: how a letter is addressed there.
    address: str
    postcodes: tuple[str, ...]


#: The share of a site's associates drawn from its own city's cultures.
LOCAL_SHARE = 0.75

CITIES: tuple[City, ...] = (
    City(
        "Lyon",
        "lyon",
        (("french", 8), ("maghrebi", 3), ("portuguese", 1), ("vietnamese", 1)),
        "+33 4 ## ## ## ##",
        _t(
            "rue de la République, cours Lafayette, avenue Jean Jaurès, rue Mercière, quai Perrache"
        ),
        "{number} {street}, {postcode} Lyon",
        _t("69001, 69002, 69003, 69007, 69008, 69009"),
    ),
    City(
        "Porto",
        "porto",
        (("portuguese", 9), ("spanish", 1), ("french", 1)),
        "+351 22 ### ####",
        _t("Rua de Santa Catarina, Avenida da Boavista, Rua das Flores, Rua de Cedofeita"),
        "{street} {number}, {postcode} Porto",
        _t("4000-322, 4050-262, 4100-130, 4150-171"),
    ),
    City(
        "Kraków",
        "krakow",
        (("polish", 10), ("vietnamese", 1)),
        "+48 12 ### ## ##",
        _t("ul. Floriańska, ul. Długa, ul. Grodzka, ul. Józefińska, ul. Wielicka"),
        "{street} {number}, {postcode} Kraków",
        _t("31-019, 31-146, 30-529, 30-503"),
    ),
    City(
        "Dublin",
        "dublin",
        (("irish", 6), ("filipino", 2), ("indian", 2), ("nigerian", 2), ("polish", 1)),
        "+353 1 ### ####",
        _t("Parnell Street, Capel Street, Camden Street, Thomas Street, Dorset Street"),
        "{number} {street}, {postcode}",
        _t("Dublin 1, Dublin 2, Dublin 7, Dublin 8, Dublin 12"),
    ),
    City(
        "València",
        "valencia",
        (("spanish", 9), ("maghrebi", 1), ("italian", 1)),
        "+34 96 ### ## ##",
        _t("Carrer de Colón, Avinguda del Port, Carrer de Russafa, Carrer de Cuba"),
        "{street} {number}, {postcode} València",
        _t("46004, 46005, 46006, 46022, 46023"),
    ),
    City(
        "Leipzig",
        "leipzig",
        (("german", 8), ("turkish", 2), ("vietnamese", 1), ("polish", 1)),
        "+49 341 #######",
        _t("Karl-Liebknecht-Straße, Eisenbahnstraße, Gohliser Straße, Könneritzstraße"),
        "{street} {number}, {postcode} Leipzig",
        _t("04107, 04315, 04155, 04229"),
    ),
    City(
        "Tallinn",
        "tallinn",
        (("estonian", 9), ("nordic", 1)),
        "+372 6## ####",
        _t("Pärnu mnt, Narva mnt, Tartu mnt, Kopli tn, Tehnika tn"),
        "{street} {number}, {postcode} Tallinn",
        _t("10111, 10115, 10117, 10412, 10616"),
    ),
    City(
        "Bologna",
        "bologna",
        (("italian", 9), ("maghrebi", 1), ("indian", 1)),
        "+39 051 ### ####",
        _t("Via dell'Indipendenza, Via Zamboni, Strada Maggiore, Via San Vitale"),
        "{street} {number}, {postcode} Bologna",
        _t("40121, 40125, 40126, 40138"),
    ),
)


@dataclass(frozen=True, slots=True)
class Queue:
    """What a team answers for, and the title its associates carry."""

    name: str
    title: str


QUEUES: tuple[Queue, ...] = (
    Queue("Customer Care", "Customer Service Associate"),
    Queue("Billing", "Billing Associate"),
    Queue("Technical Support", "Technical Support Agent"),
    Queue("Retention", "Retention Specialist"),
    Queue("Sales", "Sales Associate"),
    Queue("Collections", "Collections Agent"),
    Queue("Onboarding", "Onboarding Associate"),
    Queue("Claims", "Claims Associate"),
    Queue("Escalations", "Escalations Specialist"),
    Queue("Premium Accounts", "Account Specialist"),
    Queue("Chat and E-mail", "Digital Support Associate"),
    Queue("Back Office", "Back Office Associate"),
)

#: Titles beyond a queue's own, given to a few experienced associates.
SENIOR_PREFIX = "Senior "
SPECIAL_TITLES: tuple[str, ...] = ("Quality Analyst", "Trainer", "Workforce Planner", "Team Lead")

EMAIL_DOMAINS: tuple[str, ...] = ("example.org", "example.net", "example.com", "mail.example")

_FOLD = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)


def ascii_fold(text: str) -> str:
    """A name as an e-mail address or a username spells it: `Wiśniewska` → `wisniewska`,
    `Ó Súilleabháin` → `osuilleabhain`."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "-"))


def any_name(rng: random.Random) -> str:
    """Someone's full name from any culture (a witness, a candidate)."""
    culture = CULTURES[rng.choice(sorted(CULTURES))]
    female = rng.random() < 0.5
    first = rng.choice(culture.female if female else culture.male)
    return f"{first} {culture.last_name(rng.choice(culture.last), female)}"
