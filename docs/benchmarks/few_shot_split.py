"""The few-shot split that few_shot.py and encoder_ceiling.py both measure on,
so their figures are of the same messages."""
import random
from collections import defaultdict


def few_shot_split(categories, k, seed):
    """k examples of each category, drawn with random.Random(seed) in sorted
    category order: (their indices, sorted; every other index)."""
    by_category = defaultdict(list)
    for index, category in enumerate(categories):
        by_category[category].append(index)
    rng = random.Random(seed)
    chosen = set()
    for category in sorted(by_category):
        chosen.update(rng.sample(by_category[category], k))
    return sorted(chosen), [i for i in range(len(categories)) if i not in chosen]
