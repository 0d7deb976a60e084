"""A small help centre of our own (not the demo pages, which another part of the project owns)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest

PAGES: Dict[str, str] = {
    "ruecksendung": """---
title: Rücksendung und Erstattung
url: https://shop.example/hilfe/ruecksendung
topic: retouren
---

# Rücksendung und Erstattung

Sie können jeden Artikel innerhalb von 30 Tagen zurückschicken.

## Etikett für die Rücksendung

Das Etikett für die Rücksendung drucken Sie in Ihrem Kundenkonto unter „Meine Bestellungen“ aus. Kleben Sie es gut sichtbar auf das Paket. Die Rücksendung ist für Sie kostenlos.

## Erstattung

Sobald Ihr Paket bei uns eingetroffen ist, erstatten wir den Betrag innerhalb von 5 Werktagen auf das ursprüngliche Zahlungsmittel.
""",
    "pflege-daunen": """---
title: Pflege von Daunenjacken
url: https://shop.example/hilfe/daunen
---

# Pflege von Daunenjacken

## Waschen

Daunenjacken dürfen in die Waschmaschine. Waschen Sie bei 30 Grad im Schonwaschgang mit Daunenwaschmittel. Verwenden Sie keinen Weichspüler.

## Trocknen

Trocknen Sie die Jacke im Trockner bei niedriger Temperatur mit zwei Tennisbällen, damit die Daunen nicht verklumpen.
""",
    "groessen": """---
title: Größentabelle Jacken
url: https://shop.example/hilfe/groessen
---

# Größentabelle Jacken

Entscheidend ist der Brustumfang.

## Herren

| Größe | Brustumfang | Körpergröße |
|---|---|---|
| M | 96–100 cm | 176–180 cm |
| L | 100–106 cm | 181–186 cm |
""",
    "zahlung": """---
title: Zahlungsarten
url: https://shop.example/hilfe/zahlung
---

# Zahlungsarten

Sie können per Rechnung, PayPal, Kreditkarte oder Vorkasse bezahlen. Der Kauf auf Rechnung ist ab einem Bestellwert von 20 Euro möglich.

## Gutscheine

Einen Geschenkgutschein lösen Sie im Warenkorb ein. Gutscheine sind drei Jahre gültig.
""",
    "filialen": """---
title: Unsere Filialen
url: https://shop.example/hilfe/filialen
---

# Unsere Filialen

## Öffnungszeiten

Unsere Filiale in München hat montags bis samstags von 10 bis 19 Uhr geöffnet. An Feiertagen bleibt sie geschlossen.
""",
}


def write_pages(folder: Path, pages: Dict[str, str] = PAGES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    return write_pages(tmp_path / "pages")
