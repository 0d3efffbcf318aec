"""Imported by the worker pool's forkserver: dossier loaded and one letter rendered before any worker forks."""

from dossier.http import work

work.warm_up()
