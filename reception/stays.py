"""Stays at a postpartum centre (F7): what screens, the CLI, the demo and the night check
use, wherever it is defined (``stay_*`` modules, one per concept).
"""

from reception.stay_care import (  # noqa: F401
    ANSWER_MINUTES,
    REQUEST_DEPARTMENTS,
    REQUEST_KINDS,
    VISIT_DAYS,
    RequestLine,
    VisitDay,
    add_request,
    answer,
    mark_visit,
    open_requests,
    overdue_complaints,
    requests_of,
    unanswered_complaints_of_day,
    visit_day_of,
    visits,
)
from reception.stay_checkout import (  # noqa: F401
    Refund,
    check_out,
    deductions_of,
    preview,
    unrefunded,
    work_out,
)
from reception.stay_contracts import (  # noqa: F401
    ARCHIVE_FIELDS,
    BABY_SEXES,
    DELIVERY_MODES,
    ContractLine,
    arrivals,
    check_id_number,
    find,
    get,
    in_stay,
    mask_id,
    open_contracts,
    sign,
    staff_names,
    update_archive,
)
from reception.stay_desk import (  # noqa: F401
    DEPARTMENTS,
    CheckedIn,
    Notice,
    check_in,
    confirm,
    explain_absence,
    missing_arrivals,
    notice,
    unconfirmed_before,
)
from reception.stay_payments import (  # noqa: F401
    DEPOSIT_METHODS,
    METHODS,
    Held,
    Kind,
    Method,
    MethodTotal,
    balance_outstanding,
    card_fee,
    correct,
    day_lines,
    held,
    of_contract,
    take,
    totals,
)
from reception.stay_rooms import (  # noqa: F401
    RoomLine,
    RoomState,
    StayError,
    add_room,
    board,
    ensure_rooms,
    list_rooms,
    set_room_state,
    usable_room,
)
from reception.stay_schedule import calls_of, plan, sync  # noqa: F401
from reception.stay_views import desk  # noqa: F401
