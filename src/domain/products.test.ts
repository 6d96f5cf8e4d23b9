import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { joinProducts, normaliseProducts, productsOf } from './products.ts';

describe('main products', () => {
  it('splits a cell at 、，,;；/ and line breaks, trims, drops blanks and repeats', () => {
    expect(normaliseProducts('PERC电池片、TOPCon电池片')).toEqual(['PERC电池片', 'TOPCon电池片']);
    expect(normaliseProducts(' 光伏组件 ，逆变器;支架；玻璃/胶膜,背板\n电缆 ')).toEqual([
      '光伏组件',
      '逆变器',
      '支架',
      '玻璃',
      '胶膜',
      '背板',
      '电缆',
    ]);
    expect(normaliseProducts('PTA、pta、 、PX')).toEqual(['PTA', 'PX']);
    expect(normaliseProducts(['双玻  光伏组件', '逆变器、支架'])).toEqual([
      '双玻 光伏组件',
      '逆变器',
      '支架',
    ]);
    expect(normaliseProducts('')).toEqual([]);
    expect(normaliseProducts(null)).toEqual([]);
  });

  it('reads stored lists from either driver and writes a cell back', () => {
    expect(productsOf(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(productsOf('["光伏组件","逆变器"]')).toEqual(['光伏组件', '逆变器']);
    expect(productsOf(null)).toEqual([]);
    expect(joinProducts(['光伏组件', '逆变器'])).toBe('光伏组件、逆变器');
  });

  it('property: writing a list into a cell and reading it back gives the list', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9\u4e00-\u4e5f]{1,8}$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        const list = normaliseProducts(words);
        expect(normaliseProducts(joinProducts(list))).toEqual(list);
      }),
    );
  });
});
