"""Names the web modules share: the logger, the model queue's id, the page's messages and examples.

They live here, below every other module of the package, so that layout, handlers and warm-up
can all use them without importing one another (no import cycle).
"""

from __future__ import annotations

from .. import choices

LOGGER_NAME = "service.web"  # one logger for the whole web app; its lines never quote an article
MODEL_QUEUE = "model"  # the concurrency id every model-backed event shares
MAX_SESSIONS_NOTED = 1000  # tabs whose last read link is held until their recent list is updated
MANY_LINKS_MAX_WAIT = 10.0  # seconds a many-links fetch may wait for its host's turn (fetch/polite.py)

BUSY_MESSAGE = "The service is busy; please try again in a minute."
GENERIC_ERROR = (
    "Something went wrong on our side while processing this article. "
    "Please try again; if it keeps happening, try another article or paste its text."
)
EMPTY_MESSAGE = "Paste an article's URL or its text, or upload a saved page (.html or .txt)."
BOTH_MESSAGE = "Give one article at a time: clear the text box or remove the uploaded file."

EXAMPLE_TEXT = (
    "Pemerintah Kota Bogor Resmikan Taman Baca di Pasar Tradisional\n\n"
    "Pemerintah Kota Bogor meresmikan sebuah taman baca di lantai dua Pasar Kebon Kembang pada Sabtu pagi. "
    "Taman baca itu menyediakan sekitar seribu buku untuk anak-anak para pedagang.\n\n"
    "Wali kota mengatakan bahwa banyak anak menghabiskan waktu di pasar setelah pulang sekolah. "
    '"Kami ingin mereka punya tempat yang nyaman untuk membaca dan belajar," katanya.\n\n'
    "Taman baca dibuka setiap hari mulai pukul 13.00 hingga 17.00 WIB. "
    "Relawan dari beberapa kampus akan bergantian menemani anak-anak membaca."
)
EXAMPLE_URLS = (
    (
        "https://nasional.kompas.com/read/2016/02/16/14382361/"
        "Menteri.Yuddy.Ancam.PNS.yang.Rankingnya.Terendah.Akan.Dipangkas."
    ),
    "https://tekno.liputan6.com/read/2436773/tri-indonesia-broadband-dorong-ekosistem-digital-dalam-negeri",
    "https://gaya.tempo.co/read/news/2015/11/05/060716092/ini-7-alasan-mengapa-orang-malas-bergerak",
)
EXAMPLE_LABELS = (
    "Kompas: civil servants' ranking",
    "Liputan6: broadband ecosystem",
    "Tempo: why people don't exercise",
    "A short example text",
)

METHOD_LABELS = choices.SUMMARY_METHODS
LENGTH_LABELS = {name: length.label for name, length in choices.SUMMARY_LENGTHS.items()}
