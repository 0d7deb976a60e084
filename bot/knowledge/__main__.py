"""`python -m bot.knowledge build | import-html <export-dir> [--into DIR] | search <question>`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List

from bot.knowledge.pages import PageError
from bot.shared.config import SETTINGS


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.knowledge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="rebuild the index from the pages folder")
    build.add_argument("--pages", type=Path, default=None, help="pages folder (KD_KNOWLEDGE_DIR)")
    build.add_argument(
        "--index", type=Path, default=None, help="index folder (KD_KNOWLEDGE_INDEX_DIR)"
    )
    imp = commands.add_parser(
        "import-html", help="turn an HTML help-centre export into Markdown pages"
    )
    imp.add_argument("export", type=Path, help="folder of the export (*.html, subfolders too)")
    imp.add_argument("--into", type=Path, default=None, help="pages folder (KD_KNOWLEDGE_DIR)")
    ask = commands.add_parser("search", help="show what the knowledge base answers to a question")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=3)
    args = parser.parse_args(argv)
    pages_dir = (
        getattr(args, "pages", None)
        or getattr(args, "into", None)
        or SETTINGS["KD_KNOWLEDGE_DIR"].read()
    )
    try:
        if args.command == "import-html":
            from bot.knowledge.html import import_export

            written = import_export(args.export, pages_dir)
            print(
                f"{len(written)} pages written to {pages_dir}; the running bot picks them up by itself"
            )
            return 0
        from bot.knowledge.index import Index
        from bot.knowledge.search import KnowledgeBase

        index_dir = getattr(args, "index", None) or SETTINGS["KD_KNOWLEDGE_INDEX_DIR"].read()
        if args.command == "build":
            index = Index.build(pages_dir, index_dir)
            index.save(index_dir)
            pages = len({p.page_id for p in index.passages})
            print(
                f"{pages} pages, {len(index.passages)} passages indexed in {index.build_seconds:.1f} s "
                f"({index.encoded} passages encoded, the rest from the cache) -> {index_dir}"
            )
            return 0
        answer = KnowledgeBase.from_folder(pages_dir, index_dir).search(args.question, k=args.k)
        print("answer" if answer.confident else "abstain (below the threshold)")
        for hit in answer.hits:
            print(
                f"{hit.score:.3f}  {hit.passage_id}  {hit.page_title} – {hit.heading}\n       {hit.quote}"
            )
        return 0
    except (PageError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
