"""The call script: the built-in tree (seed 002 §11), manager files and their validation."""

import copy
import os
import subprocess
from pathlib import Path

import pytest

from reception import i18n, script
from reception.script import ScriptError, Walk, build, builtin, load_file
from tests.helpers import launcher

SCRIPTS = Path(__file__).parent / "scripts"


def test_builtin_tree_is_valid_and_uses_the_seed_words():
    tree = builtin()
    greeting = tree.node(tree.start)
    i18n.set_language("zh")
    assert greeting.words({"clinic": "科医美"}) == "您好,欢迎致电科医美,请问有什么可以帮到您?"
    assert "我们老总现在不在" in tree.node("boss_not_in").words()
    assert "不在办公室" in tree.node("boss_declined").words()
    assert "今天不上班" in tree.node("consultant_off").words({"consultant": "张咨询"})
    i18n.set_language("en")
    assert greeting.words({"clinic": "Skin Clinic"}).startswith("Hello, thank you for calling "
                                                                "Skin Clinic")
    kinds = {node.kind for node in tree.nodes.values()}
    assert kinds == set(script.KINDS)


def test_walk_the_boss_branch_and_back_keeps_values():
    walk = Walk(builtin())
    assert walk.choose("9") is None
    assert walk.choose("1").id == "boss_surname"
    walk.values["surname"] = "王"
    walk.go(walk.node.next)
    assert walk.node.words(walk.values) == "Do you have an appointment with our director, 王?"
    assert walk.back() and walk.node.id == "boss_surname"
    assert walk.values["surname"] == "王"
    assert walk.back() and walk.at_start
    assert not walk.back()


def test_walk_cannot_step_back_over_a_saved_message():
    walk = Walk(builtin(), path=["greeting", "boss_surname", "boss_appointment",
                                 "boss_matter", "boss_not_in"])
    walk.choose("1")
    assert walk.node.kind == "message"
    walk.action_saved("message")
    assert walk.node.id == "goodbye_message"
    assert not walk.can_go_back() and not walk.back()
    assert walk.outcome() == "message"
    again = Walk(builtin(), **{k: v for k, v in walk.state().items()})
    assert again.path == walk.path and not again.can_go_back()


def test_placeholders_without_values_stay_as_written():
    assert script.fill("{surname}, {unknown}", {"surname": "[red]x[/red]"}) == \
        "[red]x[/red], {unknown}"


@pytest.mark.parametrize("name", ["good.toml", "good.json"])
def test_good_files_load(name):
    loaded = load_file(SCRIPTS / name)
    assert loaded.start == "hello"
    assert loaded.node("hello").branch("1") is not None
    assert loaded.source.endswith(name)


@pytest.mark.parametrize(("name", "key", "node"), [
    ("unknown_node.toml", "calls.script.unknown_node", "hello"),
    ("unreachable.toml", "calls.script.unreachable", "orphan"),
    ("duplicate_key.toml", "calls.script.duplicate_key", "hello"),
    ("cycle.toml", "calls.script.cycle", "again"),
    ("missing_translation.toml", "calls.script.missing_translation", "note"),
])
def test_each_kind_of_error_names_the_node(name, key, node):
    with pytest.raises(ScriptError) as caught:
        load_file(SCRIPTS / name)
    assert caught.value.message_key == key
    assert caught.value.node == node
    message = str(caught.value)
    assert node in message and "\n" not in message


def test_error_messages_read_well_in_both_languages():
    with pytest.raises(ScriptError) as caught:
        load_file(SCRIPTS / "unknown_node.toml")
    assert str(caught.value) == "Node hello leads to an unknown node byebye"
    i18n.set_language("zh")
    assert str(caught.value) == "节点 hello 指向不存在的节点 byebye"


@pytest.mark.parametrize(("name", "key"), [
    ("syntax_error.toml", "calls.script.syntax"),
    ("script.yaml", "calls.script.yaml"),
    ("nowhere.toml", "calls.script.missing_file"),
])
def test_unusable_files(name, key):
    with pytest.raises(ScriptError) as caught:
        load_file(SCRIPTS / name)
    assert caught.value.message_key == key


def _builtin_with(change) -> dict:
    data = copy.deepcopy(script.BUILTIN)
    change(data["nodes"])
    return data


@pytest.mark.parametrize(("change", "key", "node"), [
    (lambda n: n["greeting"]["branches"][0].update(key="x"), "calls.script.bad_key", "greeting"),
    (lambda n: n["booked"].update(kind="fly"), "calls.script.bad_kind", "booked"),
    (lambda n: n["book"].pop("next"), "calls.script.missing_field", "book"),
    (lambda n: n["book"].update(nxt="booked"), "calls.script.bad_field", "book"),
    (lambda n: n["boss_message"].update(recipient="cat"), "calls.script.bad_value",
     "boss_message"),
    (lambda n: n["goodbye"].pop("say"), "calls.script.nothing_to_say", "goodbye"),
    (lambda n: n["greeting"]["branches"][1]["label"].pop("zh"),
     "calls.script.missing_translation", "greeting"),
    (lambda n: n["other_note"].update(next="other_note"), "calls.script.unreachable",
     "goodbye_note"),
])
def test_validator_on_edited_builtin(change, key, node):
    with pytest.raises(ScriptError) as caught:
        build(_builtin_with(change))
    assert (caught.value.message_key, caught.value.node) == (key, node)


def test_a_self_loop_with_no_exit_is_a_cycle():
    def loop(nodes):
        nodes["other_note"].update(next="other_more")
        nodes["other_more"] = {"kind": "input", "field": "note", "next": "other_more",
                               "prompt": {"zh": "再记", "en": "More"}}
        nodes["goodbye_note"]["kind"] = "end"
        nodes["enquiry_more"]["branches"].append(
            {"key": "3", "to": "goodbye_note", "label": {"zh": "结束", "en": "End"}})
    with pytest.raises(ScriptError) as caught:
        build(_builtin_with(loop))
    assert (caught.value.message_key, caught.value.node) == ("calls.script.cycle", "other_more")


def test_active_script_falls_back_to_builtin_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text((SCRIPTS / "cycle.toml").read_text(encoding="utf-8"), encoding="utf-8")
    used, error = script.active_script(str(bad))
    assert used is builtin() and error.message_key == "calls.script.cycle"
    bad.write_text((SCRIPTS / "good.toml").read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(bad, ns=(1, 2))
    used, error = script.active_script(str(bad))
    assert error is None and used.start == "hello"
    assert script.active_script("") == (builtin(), None)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return launcher.cli("--lang", "en", "script", "check", *args)


def test_cli_check_good_and_bad_files():
    good = _cli(str(SCRIPTS / "good.toml"))
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("OK") and good.stderr == ""
    bad = _cli(str(SCRIPTS / "duplicate_key.toml"))
    assert bad.returncode == 1
    assert bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and "hello" in lines[0] and "Traceback" not in bad.stderr
    missing = _cli(str(SCRIPTS / "nowhere.json"))
    assert missing.returncode == 1 and "nowhere.json" in missing.stderr


def test_a_consultant_node_may_name_where_a_busy_consultant_leads():
    node = builtin().node("consultant_which")
    assert node.busy == "consultant_busy"
    assert node.targets() == ["consultant_fetch", "consultant_off", "consultant_busy"]
    assert {b.to for b in builtin().node("consultant_busy").branches} == {
        "consultant_hold", "consultant_message", "goodbye"}
    # Optional: a manager's script without it sends busy consultants to on_duty.
    data = copy.deepcopy(script.BUILTIN)
    del data["nodes"]["consultant_which"]["busy"]
    del data["nodes"]["consultant_busy"], data["nodes"]["consultant_hold"]
    assert build(data).node("consultant_which").targets() == ["consultant_fetch",
                                                              "consultant_off"]
    data["nodes"]["consultant_which"]["busy"] = "nowhere"
    with pytest.raises(ScriptError) as raised:
        build(data)
    assert raised.value.node == "consultant_which" and "nowhere" in str(raised.value)
