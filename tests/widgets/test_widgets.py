"""The four exercises driven from Python as a student would drive them (set control values)."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from coursekit.widgets import ActionFinder, FlexorLength, RotationBalance, TiltExplorer


@pytest.fixture(scope="module")
def tilt():
    return TiltExplorer()


@pytest.fixture(scope="module")
def finder():
    return ActionFinder()


def _alt(image: widgets.HTML) -> str:
    return image.value.split('alt="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("cls", [TiltExplorer, FlexorLength, RotationBalance, ActionFinder])
def test_every_control_is_labelled_and_every_image_has_alt_text(cls):
    ex = cls()
    for control in ex.controls.values():
        assert control.description.strip()
        assert isinstance(control, (widgets.FloatSlider, widgets.ToggleButton, widgets.ToggleButtons))
    assert ex.image.value.startswith('<img class="coursekit-figure" src="data:image/png;base64,')
    assert len(_alt(ex.image)) > 40


def test_tilt_explorer_moves_the_pelvis_when_the_slider_moves(tilt):
    fig, html_before = tilt.view.fig, tilt.image.value
    tilt.controls["tilt"].value = 15          # what a student's slider does
    tilt.controls["hip"].value = -10
    assert tilt.outputs["lordosis_deg"] == pytest.approx(51.25)
    assert tilt.outputs["thigh_from_vertical_deg"] == -25.0
    assert tilt.outputs["measured_tilt_deg"] == pytest.approx(15.0)
    assert tilt.outputs["measured_hip_deg"] == pytest.approx(-10.0)
    assert tilt.view.fig is fig and tilt.image.value != html_before
    assert tilt.view.texts["tilt"] == "Pelvic tilt 15° anterior" and tilt.view.texts["hip"] == "Hip 10° extension"
    assert "tilted 15° anterior" in _alt(tilt.image)
    assert "The hip moved 10° toward extension." in tilt.readout.value
    assert "only 10° of that is hip extension" in tilt.readout.value


def test_tilt_explorer_refuses_hip_extension_past_the_range_of_motion(tilt):
    assert tilt.set(tilt=5, hip=-5)
    image = tilt.image.value
    assert tilt.set(hip=-40) is False
    assert "40° of hip extension is beyond the normal maximum" in tilt.refusal
    assert 'role="alert"' in tilt.message.value and "Not possible" in tilt.message.value
    assert tilt.values == {"tilt": 5.0, "hip": -5.0}          # back to the last accepted setting
    assert tilt.image.value == image and tilt.outputs["hip_deg"] == -5.0
    tilt.controls["hip"].value = -45                          # the slider itself is refused the same way
    assert tilt.controls["hip"].value == -5.0 and "45°" in tilt.refusal
    assert tilt.set(hip=0) and tilt.message.value == "" and tilt.refusal == ""


def test_set_refuses_values_outside_a_control_and_unknown_controls(tilt):
    assert tilt.set(tilt=99) is False and "choose a value from -20 to 30" in tilt.refusal
    assert tilt.set(pelvis=3) is False and "no control called pelvis" in tilt.refusal


def test_flexor_length_shows_the_compensation_and_the_thomas_test():
    ex = FlexorLength()
    assert ex.set(wanted=20, available=5)
    assert (ex.outputs["compensatory_tilt_deg"], ex.outputs["extra_lumbar_extension_deg"]) == (15.0, 11.25)
    assert ex.view.texts["tilt"] == "Pelvic tilt 15° anterior"
    assert ex.view.texts["flexors"] == "hip flexors: at full length"
    assert "negative test" in ex.readout.value
    ex.controls["available"].value = -8
    assert ex.outputs["thomas_thigh_lift_deg"] == 8.0 and ex.outputs["thomas_positive"]
    assert "8° above the table" in ex.readout.value
    ex.controls["available"].value = 30
    assert ex.outputs["compensatory_tilt_deg"] == 0.0 and ex.view.texts["flexors"] == "hip flexors: slack"
    assert ex.set(wanted=40, available=-10) is False
    assert "more than the 30° this model allows" in ex.refusal and ex.values == {"wanted": 20.0, "available": 30.0}


def test_rotation_balance_reads_out_knee_and_foot():
    ex = RotationBalance()
    assert ex.set(gluteus_maximus=1.0)
    assert (ex.outputs["net_extension"], ex.outputs["net_rotation"]) == (90.0, 37.5)
    assert (ex.outputs["knee_direction"], ex.outputs["foot_edge"]) == ("out", "outer")
    assert ex.view.texts["knee"] == "knee out 38°" and ex.view.texts["outer"] == "outer\n100%"
    assert "Not yet" in ex.readout.value and "Hint" in ex.readout.value


def test_rotation_balance_task_can_be_met():
    ex = RotationBalance()
    assert ex.set(gluteus_maximus=0.5, medial_hamstrings=1.0, adductor_magnus=1.0, internal_rotators=0.8,
                  biceps_femoris=0.2)
    assert ex.outputs["task_met"] and ex.outputs["knee_direction"] == "forward"
    assert ex.view.texts["verdict"].startswith("Task met") and "Task met" in ex.readout.value
    assert ex.view.texts["knee"] == "knee forward"


def test_rotation_balance_refuses_flexion_beyond_the_measured_range():
    ex = RotationBalance()
    ex.controls["hip_flexion"].value = 100
    assert "0° to 90°" in ex.refusal and ex.controls["hip_flexion"].value == 0.0
    ex.controls["hip_flexion"].value = 90
    assert ex.outputs["result"].hip_flexion_deg == 90.0 and ex.refusal == ""


def test_finder_highlights_the_muscles_for_the_chosen_actions(finder):
    finder.set(mode="Explore")
    finder.controls["extension"].value = True
    finder.controls["external_rotation"].value = True
    # main actions only: the medial hamstrings' internal rotation is secondary (issue 13)
    assert finder.outputs["muscles"] == ["gluteus maximus", "biceps femoris (long head)"]
    assert finder.view.shown["muscles"] == ["gluteus maximus", "biceps femoris (long head)"]
    assert finder.view.shown["actions"] == ["extension", "external_rotation"]
    assert "gluteus maximus, biceps femoris (long head)" in finder.readout.value
    assert "Muscles highlighted: gluteus maximus, biceps femoris (long head)" in _alt(finder.image)


def test_set_refuses_unknown_options_and_non_boolean_toggles(finder):
    assert finder.set(mode="Exam") is False and "choose one of Explore, Quiz" in finder.refusal
    assert finder.set(extension="yes") is False and "use True (on) or False (off)" in finder.refusal


def test_finder_refuses_opposite_actions(finder):
    assert finder.set(extension=True, internal_rotation=False)
    assert finder.set(flexion=True) is False
    assert "opposite movements" in finder.refusal and finder.controls["flexion"].value is False


def test_finder_quiz_hides_the_answer_and_checks_the_picks(finder):
    assert finder.set(extension=True, external_rotation=True, internal_rotation=False, flexion=False, mode="Quiz")
    assert finder.view.shown["muscles"] == [] and finder.quiz_box.layout.display == ""
    assert finder.set(picked=["gluteus maximus", "iliacus"])
    assert finder.view.shown["picked"] == ["gluteus maximus", "iliacus"]
    result = finder.check()
    assert result.score < 1 and "iliacus" in finder.feedback.value
    assert finder.view.shown["muscles"] == []                           # still hidden
    finder.set(picked=["gluteus maximus", "biceps femoris (long head)"])
    assert finder.check().score == 1.0
    assert finder.view.shown["muscles"] == ["gluteus maximus", "biceps femoris (long head)"]


def test_finder_quiz_refuses_a_check_without_actions_and_unknown_picks():
    ex = ActionFinder(mode="Quiz")
    assert ex.check() is None and "choose at least one hip action" in ex.refusal
    assert ex.set(picked=["gluteus maximal"]) is False and "not in the list" in ex.refusal


@pytest.mark.parametrize(("cls", "frames"), [(TiltExplorer, 11), (FlexorLength, 8), (RotationBalance, 5),
                                             (ActionFinder, 9)])
def test_kernel_free_version_links_a_slider_to_precomputed_pictures(cls, frames):
    box = cls().kernel_free()
    note, chooser, stack = box.children
    assert isinstance(box.link, widgets.widgets.widget_link.Link)
    assert box.link.source == (chooser, "index") and box.link.target == (stack, "selected_index")
    assert isinstance(chooser, (widgets.SelectionSlider, widgets.Dropdown)) and isinstance(stack, widgets.Stack)
    assert len(chooser.options) == len(stack.children) == frames
    assert all('alt="' in child.value for child in stack.children)
    assert "Works without Python" in note.value and chooser.description


def test_public_api_is_pinned():
    import coursekit.model
    import coursekit.widgets

    assert sorted(coursekit.widgets.__all__) == ["ActionFinder", "Exercise", "FlexorLength", "RotationBalance",
                                                 "TiltExplorer", "flipbook"]
    assert {"pelvic_tilt", "hip_flexion", "lumbar_lordosis", "hip_flexor_length", "balance", "moment_arm",
            "ModelInputError"} <= set(coursekit.model.__all__)
