import { describe, expect, it } from 'vitest';
import { bundledCatalogue } from '../catalogue';
import { searchServices, serviceSearchIndex } from './serviceSearch';
import { kazakhStems, searchScore, searchWords, stemKazakh, stemRussian } from './stem';
import { foldForSearch } from './searchFold';

const catalogue = bundledCatalogue();
const latest = [...new Set(catalogue.services.map((s) => s.id))].flatMap((id) => catalogue.get(id) ?? []);
const index = serviceSearchIndex(latest);
const found = (query: string): string[] => searchServices(index, query).map((s) => s.id);

describe('Russian word forms (Snowball)', () => {
  it('reduces the forms of a word to one stem', () => {
    for (const forms of [
      ['безработный', 'безработным', 'безработных', 'безработного'],
      ['разрешение', 'разрешения', 'разрешений', 'разрешениями'],
      ['пособие', 'пособия', 'пособий'],
      ['справка', 'справки', 'справку'],
    ])
      expect(new Set(forms.map(stemRussian)).size).toBe(1);
  });

  it('finds the catalogue’s services by the words a clerk types, in their dictionary form', () => {
    // The regulation says «безработным гражданам», «безработных граждан».
    expect(found('безработный')).toEqual(['almaty-unemployed-certificate', 'almaty-unemployed-registration']);
    // «разрешения», «разрешений».
    expect(found('разрешение')).toEqual(
      expect.arrayContaining(['fl-permit-almaty', 'fl-permit-kyzylorda', 'labour-immigrant-permit-mvd']),
    );
    expect(found('разрешение')).toHaveLength(5);
    // «пособия на детей».
    expect(found('пособие')).toEqual(['almaty-child-allowance']);
    // «справки», «справок».
    expect(found('справка')).toEqual(
      expect.arrayContaining(['almaty-asp-membership-certificate', 'almaty-unemployed-certificate']),
    );
    expect(found('справка безработный')).toEqual(['almaty-unemployed-certificate']);
    // A prefix still finds what it begins, and an exact word ranks above another form.
    expect(found('безраб')).toHaveLength(2);
    expect(found('пособие детям')).toEqual(['almaty-child-allowance']);
  });
});

describe('Kazakh word forms (suffix rules)', () => {
  it('strips case, possessive and plural suffixes, in the order they stand', () => {
    const k = (w: string): string => stemKazakh(foldForSearch(w));
    expect(k('рұқсаттар')).toBe(k('рұқсат'));
    expect(k('рұқсаттарды')).toBe(k('рұқсат'));
    expect(k('жұмыссыздарға')).toBe(k('жұмыссыз'));
    expect(k('азаматтарының')).toBe(k('азамат'));
    expect(k('анықтамасы')).toBe(k('анықтама'));
    expect(k('анықтамалар')).toBe(k('анықтама'));
    expect(k('балаларға')).toBe(k('бала'));
    expect(k('құжаттарды')).toBe(k('құжат'));
    expect(k('мүгедектердің')).toBe(k('мүгедек'));
    // A root that ends like a suffix: the two forms share a stage of the stripping.
    expect(kazakhStems(foldForSearch('жәрдемақысы'))).toContain(foldForSearch('жәрдемақы'));
    expect(kazakhStems(foldForSearch('жәрдемақы'))).toContain(foldForSearch('жәрдемақы'));
    // Nothing is cut below three letters.
    expect(k('ана')).toBe('ана');
    expect(k('ел')).toBe('ел');
  });

  it('finds services by other forms of the catalogue’s Kazakh words, typed with or without Kazakh letters', () => {
    // The catalogue: «Еңбекші иммигранттарға рұқсаттар беру», «рұқсат беру».
    expect(found('рұқсат')).toHaveLength(5);
    expect(found('рұқсаттарды')).toHaveLength(5);
    // «Жұмыссыз азаматтарға анықтамалар беру», «Жұмыссыз азаматтарды тіркеу».
    expect(found('жұмыссыздарға')).toEqual(['almaty-unemployed-certificate', 'almaty-unemployed-registration']);
    expect(found('жумыссыздарга анықтама')).toEqual(['almaty-unemployed-certificate']);
    // «балаларға мемлекеттік жәрдемақы».
    expect(found('жәрдемақысы')).toEqual(['almaty-child-allowance']);
    expect(found('жардемакы')).toEqual(['almaty-child-allowance']);
    // «мүгедектерге», «мүгедектерді», «мүгедек балаларға».
    expect(found('мүгедектің')).toHaveLength(6);
  });

  it('finds nothing for words the catalogue does not have, in any form', () => {
    expect(found('автомобиль')).toEqual([]);
    expect(found('пособие разрешение')).toEqual([]);
    expect(searchScore(searchWords('Выдача справок'), '')).toBe(0);
  });
});
