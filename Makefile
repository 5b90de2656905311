# Conveniences over dev.sh, which does the setup itself.
.PHONY: demo test setup sample-repos lint bench man docs-pictures

demo:
	./dev.sh demo

test:
	./dev.sh test

setup:
	./dev.sh setup

sample-repos:
	python3 sample_repos/generate.py

lint:
	.venv/bin/ruff check rpmgraph tests sample_repos/generate.py
	.venv/bin/mypy

# rpmgraph against dnf on a generated 70,000-package repository (minutes; see benchmarks/).
bench: setup
	.venv/bin/python benchmarks/bench.py

# Man pages generated from the commands' help: man/rpmgraph.1, man/rpmgraph-graph.1, ...
man: setup
	.venv/bin/python scripts/make_man.py man

# The README's pictures, drawn by rpmgraph from the sample repositories into docs/.
docs-pictures: setup
	scripts/docs-pictures.sh
