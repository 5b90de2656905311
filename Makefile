# Conveniences over dev.sh, which does the setup itself.
.PHONY: demo test setup sample-repos lint

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
