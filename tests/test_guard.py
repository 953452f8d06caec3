"""Finding 8 of #30: no error reaches a traceback from a widget callback or an auto-refreshing fragment,
which Streamlit runs outside the page's own guard."""

from streamlit.testing.v1 import AppTest


def _callback_app() -> None:
    import streamlit as st

    from ui.chrome import guarded_callback, run_guarded

    def explode() -> None:
        raise ZeroDivisionError("boom in a callback")

    def page() -> None:
        st.button("go", key="go", on_click=guarded_callback(explode))
        st.write("page drawn")

    run_guarded(page)


def _fragment_app() -> None:
    import streamlit as st

    from ui.chrome import guarded_fragment, run_guarded

    def body() -> None:
        st.write("fragment drawn")
        if st.session_state.get("explode"):
            raise KeyError("boom in a fragment")

    st.session_state.setdefault("explode", False)
    run_guarded(lambda: st.fragment(guarded_fragment(body))())
    st.button("arm", key="arm", on_click=lambda: st.session_state.update(explode=True))


def _unguarded_callback_app() -> None:
    import streamlit as st

    def explode() -> None:
        raise ZeroDivisionError("boom in a callback")

    st.button("go", key="go", on_click=explode)


def test_a_callback_error_is_a_short_message_on_the_next_run() -> None:
    at = AppTest.from_function(_callback_app, default_timeout=30).run()
    at.button(key="go").click().run()
    assert not at.exception
    assert any("ZeroDivisionError" in e.value for e in at.error)
    assert any("page drawn" in m.value for m in at.markdown)  # the page still draws
    at.run()  # shown once, then gone
    assert not at.error


def test_a_fragment_error_is_a_short_message_in_place() -> None:
    at = AppTest.from_function(_fragment_app, default_timeout=30).run()
    assert not at.error
    at.button(key="arm").click().run()
    assert not at.exception
    assert any("KeyError" in e.value for e in at.error)


def test_negative_control_an_unguarded_callback_reaches_a_traceback() -> None:
    at = AppTest.from_function(_unguarded_callback_app, default_timeout=30).run()
    at.button(key="go").click().run()
    assert at.exception  # what the guard prevents
