// "Did you mean …?": the edit distance and when a name is near enough to suggest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean, editDistance, nearest } from '../../src/core/internal.ts';

test('editDistance counts insertions, deletions and substitutions', () => {
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('valid', 'valid'), 0);
  assert.equal(editDistance('vaild', 'valid'), 2);
  assert.equal(editDistance('readFileSyn', 'readFileSync'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('nearest suggests a likely slip, never a far or short match, nor the word itself', () => {
  assert.equal(nearest('vaild', ['clean', 'valid', 'inc']), 'valid');
  assert.equal(nearest('--evry', ['--every', '--out']), '--every');
  assert.equal(nearest('ab', ['ac', 'xy']), undefined, 'a 2-letter word matches nothing');
  assert.equal(nearest('query', ['parse', 'format']), undefined);
  assert.equal(nearest('same', ['same']), undefined);
  assert.equal(didYouMean('vaild', ['valid']), ' (did you mean `valid`?)');
  assert.equal(didYouMean('zzz', ['valid']), '');
});
