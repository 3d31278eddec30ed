"""The demo's callbacks: the list each new customer adds, the tries it takes, and the
surveys of those reached.
"""

from datetime import date, time, timedelta

from models import (
    Callback,
    CallbackAttempt,
    CallbackSurvey,
)
from reception import callbacks
from reception.callbacks import Status
from reception.demo_data import (
    CLOSE,
    OPEN,
    SURVEY_TEXTS,
)


class CallbackDays:
    """Callbacks, their attempts and surveys (a mixin of the demo builder)."""

    # --- callbacks ------------------------------------------------------------------

    def add_callback(self, first_day: date, customer: int, receptionists: list[int]) -> None:
        """The built-in rule: a new customer on day D is called back on D+1."""
        rng = self.rng
        due = first_day + timedelta(days=1)
        made_at = self.at(due, OPEN - 30)
        row = dict(customer_id=customer, rule_id=self.callback_rule, event_day=first_day,
                   due_day=due, created_at=made_at, created_by_id=receptionists[0])
        caller = rng.choice(receptionists)
        if due == self.today:
            attempts = []
            if self.now_minute > OPEN + 40 and rng.random() < 0.3:
                attempts = [(due, OPEN + rng.uniform(10, 30), "no_answer")]
            self.write_callback(row, attempts, Status.OPEN, caller, retry=True)
            return
        fate = rng.random()
        recent = (self.today - due).days <= 3
        if recent and fate < 0.15:
            attempts = [(due + timedelta(days=i), OPEN + rng.uniform(30, 200), "no_answer")
                        for i in range(min(rng.randint(1, 2), (self.today - due).days))]
            self.write_callback(row, attempts, Status.OPEN, caller, retry=True)
        elif fate < 0.80:
            attempts = self.tries(due, rng.choice((0, 0, 0, 1)), "no_answer")
            attempts.append(self.next_try(due, attempts, "reached"))
            scores = self.survey_scores(attempts[-1][0])
            # A low score flags the callback for the manager.
            callback_id = self.write_callback(row, attempts, Status.REACHED, caller,
                                              flagged=min(scores) <= 2)
            self.add_survey(callback_id, attempts[-1], caller, scores)
        elif fate < 0.90:
            self.write_callback(row, self.tries(due, 5, "no_answer"), Status.UNREACHED, caller)
        elif fate < 0.95:
            self.write_callback(row, self.tries(due, 1, "wrong_number"), Status.WRONG_NUMBER,
                                caller)
        else:
            attempts = self.tries(due, rng.choice((0, 1)), "busy")
            attempts.append(self.next_try(due, attempts, "declined"))
            self.write_callback(row, attempts, Status.DECLINED, caller)

    def tries(self, due: date, count: int, outcome: str) -> list[tuple[date, float, str]]:
        attempts: list[tuple[date, float, str]] = []
        for _ in range(count):
            attempts.append(self.next_try(due, attempts, outcome))
        return attempts

    def next_try(self, due: date, attempts: list, outcome: str) -> tuple[date, float, str]:
        """Three hours after the last try; the next morning after the last try of a day."""
        if not attempts:
            return (due, OPEN + self.rng.uniform(20, 120), outcome)
        day, minute, _ = attempts[-1]
        minute += 180
        if minute > CLOSE - 30:
            day, minute = day + timedelta(days=1), OPEN + self.rng.uniform(20, 90)
        if day >= self.today:
            day, minute = self.today - timedelta(days=1), CLOSE - 31
        return (day, minute, outcome)

    def write_callback(self, row: dict, attempts: list, status: str, caller: int,
                       retry: bool = False, flagged: bool = False) -> int:
        out = self.out
        last = attempts[-1] if attempts else None
        next_try = None
        if retry and last:
            # As the app would have stored it: three hours on, within opening hours.
            next_try = callbacks.next_try(self.at(last[0], last[1]), retry_hours=3,
                                          hours=(time(OPEN // 60), time(CLOSE // 60)))
            if last[0] < self.today:
                # Carried over: tried again today (each past day's night check is clean).
                next_try = max(next_try, self.at(self.today, OPEN + 60))
        callback_id = out.add(
            Callback, **row, status=str(status), attempts=len(attempts),
            last_outcome=last[2] if last else "", next_try_at=next_try, flagged=flagged,
            closed_at=self.at(last[0], last[1] + 4) if status != Status.OPEN and last else None,
        )
        for number, (day, minute, outcome) in enumerate(attempts, start=1):
            retryable = outcome in ("no_answer", "busy") and (
                number < len(attempts) or status == Status.OPEN)
            out.add(CallbackAttempt, callback_id=callback_id, day=day,
                    at=self.at(day, minute), outcome=outcome,
                    retry_at=self.at(day, minute + 180) if retryable else None, note="",
                    created_at=self.at(day, minute), created_by_id=caller)
        return callback_id

    def survey_scores(self, day: date) -> list[int]:
        """Mostly good; now and then (lately) a low one."""
        rng = self.rng
        scores = [rng.choice((3, 4, 4, 5, 5, 5)) for _ in range(4)]
        if (self.today - day).days <= 30 and rng.random() < 0.03:
            scores[rng.randrange(4)] = rng.choice((1, 2))
        return scores

    def add_survey(self, callback_id: int, attempt: tuple, caller: int,
                   scores: list[int]) -> None:
        day, minute, _ = attempt
        texts = [self.rng.choice(SURVEY_TEXTS) for _ in range(4)]
        self.out.add(
            CallbackSurvey, callback_id=callback_id,
            front_desk_score=scores[0], front_desk_text=texts[0],
            beautician_score=scores[1], beautician_text=texts[1],
            consultant_score=scores[2], consultant_text=texts[2],
            company_score=scores[3], company_text=texts[3],
            created_at=self.at(day, minute + 3), created_by_id=caller,
        )
