"""A seeded random-word generator for the `random` shape (field and group names).

`shapes.py` is its only user.
"""

from __future__ import annotations

import random

WORDS = tuple(
    """
    acorn amber anchor anvil apple arbor arrow aspen atlas aurora badge bamboo banner barley basalt
    beacon bellow birch bison blossom bluff bolt bonsai boulder bramble breeze bridge brook bucket
    cabin cactus camber candle canopy canyon carbon cargo cedar chalk chapel cherry cinder citrus
    clover cobalt comet copper coral cotton crane crater crest crystal cypress dahlia delta dune
    easel ember emerald falcon fern ferry fiddle finch fjord flint forge fossil fox galaxy garnet
    geyser ginger glacier glade granite grove gully harbor hazel heron hickory holly horizon husk
    iris island ivory jasper juniper kelp kernel kettle lagoon lantern larch lava ledger lemon
    lilac linden lotus lumen lynx magnet mango maple marble meadow mesa meteor mint mirror moss
    nectar needle nimbus nova nutmeg oak oasis ocean olive onyx opal orbit orchid osprey otter
    paddle palette panther pebble pepper petal pine plume pollen poppy prairie prism quartz quill
    quiver raven reef ridge river robin rocket saffron sage sail sapphire sequoia shale shell
    sierra silver slate sparrow spruce summit swallow tangle thistle thunder tide timber topaz
    trellis tulip tundra umber valley velvet vine violet walnut willow wren yarrow zephyr zinc
    """.split()
)


class Words:
    """Draws distinct words from `WORDS`, deterministically for a seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._pool = list(WORDS)
        rng.shuffle(self._pool)

    def word(self, taken: set[str]) -> str:
        """A word not in `taken` (two joined words once single words run out)."""
        for w in self._pool:
            if w not in taken:
                self._pool.remove(w)
                return w
        while True:
            w = f"{self.rng.choice(WORDS)}_{self.rng.choice(WORDS)}"
            if w not in taken:
                return w
