# Conveniences over dev.sh, which does the setup itself.
.PHONY: demo test setup sample-repos lint bench

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
