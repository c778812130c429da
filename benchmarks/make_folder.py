"""Make a realistic folder of N evaluations from the examples: varied names, sizes, problems.

    python benchmarks/make_folder.py 2000 /tmp/district [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from evaltui import files, store  # noqa: E402
from evaltui.model import Amounts, Budget, Evaluation, Indicator  # noqa: E402

DEPARTMENTS = ["区财政局", "区教育委员会", "区卫生健康委员会", "区人民代表大会常务委员会", "区城市管理委员会", "区民政局", "区文化和旅游局"]
PROJECTS = ["运行维护", "专项调研", "培训服务", "宣传印刷", "设备购置", "信息化建设", "会议保障", "课题研究", "督查检查", "志愿服务"]
PLACES = ["永顺镇", "梨园镇", "宋庄镇", "张家湾镇", "漷县镇", "马驹桥镇", "西集镇", "台湖镇", "潞城镇", "于家务乡"]


def _amount(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), rng.choice([0, 1, 2, 2, 3, 4]))))


def _vary_indicator(rng: random.Random, ind: Indicator) -> Indicator:
    weight = ind.weight if isinstance(ind.weight, Decimal) else Decimal(10)
    roll = rng.random()
    if roll < 0.80:
        score = weight
    elif roll < 0.92:
        score = (weight * Decimal(rng.randint(40, 99)) / 100).quantize(Decimal("0.01"))
    elif roll < 0.96:
        score = weight + 1  # score-over-weight
    else:
        score = None  # score-missing
    reason = ind.reason
    if score is not None and score < weight and rng.random() < 0.6:
        reason = "偏差原因分析：执行中有调整。\n改进措施：加强预算与实际的衔接。"
    return ind.model_copy(update={"score": score, "reason": reason})


def make(rng: random.Random, base: Evaluation, number: int) -> Evaluation:
    indicators = [_vary_indicator(rng, ind) for ind in base.indicators]
    extra = rng.choice([0, 0, 0, 2, 5, 10])
    for _ in range(extra):
        copy = rng.choice(indicators)
        indicators.append(copy.model_copy(update={"name": copy.name + f"（补充{rng.randint(1, 99)}）"}))
    full_year = _amount(rng, 1, 5000)
    executed = min(full_year, _amount(rng, 0, float(full_year) * 1.05))
    initial = max(full_year, _amount(rng, 1, float(full_year) * 1.3))
    line = Amounts(initial=initial, full_year=full_year, executed=executed)
    name = f"{rng.choice(PLACES)}{rng.choice(PROJECTS)}项目（{number:05d}）"
    return base.model_copy(update={
        "name": name,
        "year": rng.choice([2023, 2024, 2024, 2025]),
        "department": rng.choice(DEPARTMENTS),
        "implementer": rng.choice(DEPARTMENTS),
        "budget": Budget(total=line, appropriation=line),
        "indicators": tuple(indicators),
        "reported_total": None,
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bases = [store.load(p) for p in files.find([ROOT / "examples"])]
    args.folder.mkdir(parents=True, exist_ok=True)
    for number in range(args.count):
        ev = make(rng, rng.choice(bases), number)
        store.save(args.folder / files.file_name_for(ev.name), ev)
    print(f"{args.count} evaluations in {args.folder}")


if __name__ == "__main__":
    main()
