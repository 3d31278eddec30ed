import time, cProfile, pstats, os
from tests.helpers.pilot import settle

async def test_start_bench(make_app, team):
    # warm
    app = make_app(team.receptionist)
    async with app.run_test() as pilot:
        await settle(pilot)
    prof = cProfile.Profile() if os.environ.get("PROF") else None
    t = time.process_time()
    for _ in range(20):
        app = make_app(team.receptionist)
        if prof: prof.enable()
        async with app.run_test() as pilot:
            await settle(pilot)
        if prof: prof.disable()
    print("\nPER START", (time.process_time() - t) / 20)
    if prof:
        prof.dump_stats("/tmp/s7/start.prof")
