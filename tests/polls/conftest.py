"""Poll fixtures: the seed-002 workshop (a ``poll`` item with the template poll "akteure")."""
from __future__ import annotations

import pytest

from tests.conftest import ROOT

NETZ = ROOT / "agendas" / "netzwerkaustausch-2021.toml"
POLL_ITEM = "Abfrage: Wen sollten wir stärker einbinden?"
AKTEURE = "Welche Akteur*innen sollten stärker eingebunden werden?"


@pytest.fixture
def netz(factory, organiser):
    """The seed-002 workshop (Netzwerkaustausch 2021), owned by the organiser."""
    return factory.workshop(organiser, template=NETZ)
