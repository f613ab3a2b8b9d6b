"""The Huis van Herstel team moves its project to the university's PostgreSQL server, works on it, and takes a copy home."""

from __future__ import annotations

from pathlib import Path

from tests import pg_cluster
from tests.conftest import run_cli
from workbench.core.store import Store


def _line(out: bytes) -> str:
    text = out.decode("utf-8").strip()
    assert "\n" not in text, text
    return text


def test_the_demo_goes_to_the_server_and_back_with_identical_codings_dumps(
    hvh: Store, tmp_path: Path, pg_server: pg_cluster.Cluster,
) -> None:
    url = pg_server.url(pg_server.new_database())
    there = run_cli("copy", hvh.project_dir, tmp_path / "team", "--database", url)
    assert "codings dumps identical" in _line(there.stdout)
    back = run_cli("copy", tmp_path / "team", tmp_path / "back")
    assert "codings dumps identical" in _line(back.stdout)
    assert (tmp_path / "back" / "tables.yaml").read_bytes() == (hvh.project_dir / "tables.yaml").read_bytes()
    assert not (tmp_path / "back" / "backups").exists()
    dumps = [run_cli("codings", folder, "--format", "jsonl").stdout for folder in (hvh.project_dir, tmp_path / "team", tmp_path / "back")]
    assert dumps[0] == dumps[1] == dumps[2]
    assert dumps[0].count(b"\n") == 393
    tables = [run_cli("tables", folder, "--format", "md", "--out", tmp_path / f"{n}.md").returncode for n, folder in
              enumerate((hvh.project_dir, tmp_path / "team", tmp_path / "back"))]
    assert tables == [0, 0, 0]
    assert (tmp_path / "0.md").read_bytes() == (tmp_path / "1.md").read_bytes() == (tmp_path / "2.md").read_bytes()


def test_new_on_the_server_then_a_teammate_connects_and_codes(tmp_path: Path, pg_server: pg_cluster.Cluster) -> None:
    database = pg_server.new_database()
    created = run_cli("new", tmp_path / "mine", "--database", pg_server.url(database), "--name", "Huis van Herstel")
    assert f"its data in {database}" in _line(created.stdout)
    assert "password" not in (tmp_path / "mine" / "database.toml").read_text(encoding="utf-8").split("\n", 1)[1]
    transcript = tmp_path / "deelnemer_01.txt"
    transcript.write_text("I: Hoe gaat het?\nR: Goed, het contact met het personeel helpt.\n", encoding="utf-8")
    run_cli("import", tmp_path / "mine", transcript)
    run_cli("codebook", tmp_path / "mine", "add", "contact", "--name", "M.b.t. contact met personeel")

    joined = run_cli("connect", tmp_path / "theirs", pg_server.url(database))
    assert "connected" in _line(joined.stdout) and "Huis van Herstel" in joined.stdout.decode()
    run_cli("code", tmp_path / "theirs", "--document", "deelnemer_01", "--start", "20", "--end", "60", "--code", "contact",
            "--coder", "onderzoeker2")
    mine = run_cli("codings", tmp_path / "mine", "--format", "csv").stdout.decode()
    assert "onderzoeker2" in mine and "contact met het personeel" in mine
    status = run_cli("status", tmp_path / "theirs").stdout.decode()
    assert "team server" in status and "(owner)" in status


def test_new_refused_on_a_database_that_is_not_empty_leaves_no_folder(tmp_path: Path, pg_server: pg_cluster.Cluster) -> None:
    url = pg_server.url(pg_server.new_database())
    run_cli("new", tmp_path / "first", "--database", url)
    refused = run_cli("new", tmp_path / "second", "--database", url, check=False)
    assert refused.returncode == 1 and "not empty" in _line(refused.stderr)
    assert not (tmp_path / "second").exists()
