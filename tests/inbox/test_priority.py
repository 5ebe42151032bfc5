from __future__ import annotations

from veille.inbox.priority import Signals, priority


def test_a_question_from_a_big_account_close_to_its_deadline_comes_first():
    urgent = priority(
        Signals(
            text="Vous livrez en Belgique ?",
            intents=("question",),
            author_reach=12_400,
            minutes_to_due=20,
        )
    )
    casual = priority(Signals(text="Joli billet.", intents=("praise",), sentiment="positive"))
    assert urgent.score > casual.score
    assert urgent.reasons == ("question", "reach 12k", "SLA due in 20 min", "addressed to you")
    # 30 (question) + 5 log10(12 400) (20.5) + 20 (SLA) + 5 (addressed) = 75.5
    assert urgent.score == 75.5


def test_a_returning_detractor_says_which_complaint_it_is():
    found = priority(
        Signals(
            text="Encore en retard.",
            intents=("complaint",),
            sentiment="negative",
            sentiment_confidence=0.8,
            earlier_complaints=3,
        )
    )
    # 25 (complaint) + 30 (three earlier complaints, capped) + 8 (negative, 0.8 sure)
    assert found.score == 63.0
    assert found.reasons == ("detractor, complaint no. 4", "complaint", "negative")


def test_spam_sinks_whatever_else_it_says():
    found = priority(Signals(text="Je participe ! Vous ?", intents=("spam", "question")))
    assert found.score < 0
    assert found.reasons == ("spam or contest hunting",)


def test_a_breached_sla_and_a_growing_thread_are_reasons():
    found = priority(Signals(text="x", new_replies=6, minutes_to_due=-5))
    assert found.reasons == ("SLA breached", "thread growing: 6 new replies")
    assert found.score == 50.0


def test_reach_is_written_for_people():
    assert priority(Signals(text="", author_reach=2_500_000)).reasons == ("reach 2.5M",)
    assert priority(Signals(text="", author_reach=950)).reasons == ("reach 950",)
