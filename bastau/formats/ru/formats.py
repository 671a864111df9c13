# Russian formats: numeric day.month.year, as on Kazakh documents; the same as Kazakh.
from bastau.formats.kk.formats import *  # noqa: F403
