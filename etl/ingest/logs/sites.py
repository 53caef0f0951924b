"""The site of each request, one rule for every engine: the virtual host the line names (vhost_combined ``%v``,
a JSON log's Host field, W3C ``cs-host``), else the site the file's folder is configured for (setting
``site_folders``), else the default site (setting ``site_host``). A site is written as DNS compares names: lower
case, without a port or a trailing dot, so ``WWW.Vcar.example.:443`` and ``www.vcar.example`` are one site."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import PurePath

import polars as pl


def site_name(host: pl.Expr) -> pl.Expr:
    """A host column as a site: lower case, no ``:port``, no trailing dot; blank is none."""
    name = host.str.strip_chars().str.to_lowercase().str.replace(r":\d*$", "").str.strip_chars_end(".")
    return pl.when(name == "").then(None).otherwise(name)


def put_site(frame: pl.DataFrame, fallback: str) -> pl.DataFrame:
    """Add ``site``: the request's own host as a site, else ``fallback`` (the folder's site or the default)."""
    return frame.with_columns(pl.coalesce(site_name(pl.col("host")), pl.lit(fallback)).alias("site"))


def folder_site(path: str, site_folders: Mapping[str, str], default: str) -> str:
    """The site a file's folder is configured for (the deepest configured folder that holds it), else ``default``."""
    parents = set(PurePath(os.path.abspath(path.removeprefix("file://").removeprefix("file:"))).parents)
    holders = {PurePath(os.path.abspath(folder)): site for folder, site in site_folders.items()}
    holders = {folder: site for folder, site in holders.items() if folder in parents}
    if not holders:
        return default
    return holders[max(holders, key=lambda folder: len(folder.parts))]
