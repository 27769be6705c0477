/**
 * A deck of `size` cards with each kind's count as close to its share as whole cards allow (largest
 * remainder), shuffled by `random`. The demo draws outcomes and review decisions from decks rather
 * than coin flips, so a week's rates are the story's rates in every week: a seed changes the order,
 * never the verdict.
 *
 * @example
 * ```ts
 * shuffledDeck(10, { accepted: 0.9, edited: 0.1 }, seededRandom('2026-W47'));
 * // nine 'accepted' and one 'edited', in a seeded order
 * ```
 */
export const shuffledDeck = <K extends string>(
  size: number,
  shares: Readonly<Record<K, number>>,
  random: () => number,
): K[] => {
  const kinds = Object.keys(shares) as K[];
  const total = kinds.reduce((sum, kind) => sum + shares[kind], 0);
  const piles = kinds.map((kind) => {
    const exact = total > 0 ? (size * shares[kind]) / total : 0;
    return { kind, count: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  // Hand the cards left over by flooring to the largest remainders (a stable sort keeps ties in order).
  const leftOver = total > 0 ? size - piles.reduce((sum, pile) => sum + pile.count, 0) : 0;
  const byRemainder = [...piles].sort((a, b) => b.remainder - a.remainder);
  for (let i = 0; i < leftOver; i++) {
    const pile = byRemainder[i % byRemainder.length];
    if (pile) pile.count += 1;
  }
  const deck = piles.flatMap((pile) => Array<K>(pile.count).fill(pile.kind));
  for (let i = deck.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deck[i], deck[j]] = [deck[j] as K, deck[i] as K];
  }
  return deck;
};
