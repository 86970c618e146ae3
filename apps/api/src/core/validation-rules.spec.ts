import 'reflect-metadata';
import { getMetadataStorage, IsInt, MaxLength, Min, validate } from 'class-validator';
import { rememberRules } from './validation-rules';

rememberRules(getMetadataStorage());

class Named {
  @MaxLength(5)
  name!: string;
}

class Counted extends Named {
  @IsInt()
  @Min(1)
  count!: number;
}

const check = async (o: object) => (await validate(o, { forbidUnknownValues: true })).map((e) => e.property).sort();

describe('remembered validation rules', () => {
  it('checks a class, its subclass and rules added later, as class-validator does', async () => {
    expect(await check(Object.assign(new Named(), { name: 'abc' }))).toEqual([]);
    expect(await check(Object.assign(new Named(), { name: 'abcdefg' }))).toEqual(['name']);
    // Asked again (remembered): the same answers.
    expect(await check(Object.assign(new Named(), { name: 'abcdefg' }))).toEqual(['name']);
    expect(await check(Object.assign(new Counted(), { name: 'abcdefg', count: 0 }))).toEqual(['count', 'name']);
    expect(await check(Object.assign(new Counted(), { name: 'abc', count: 2 }))).toEqual([]);

    // A rule registered after the first validations (a class loaded later) is seen at once.
    MaxLength(2)(Named.prototype, 'name');
    expect(await check(Object.assign(new Named(), { name: 'abc' }))).toEqual(['name']);
    expect(await check(Object.assign(new Counted(), { name: 'abc', count: 2 }))).toEqual(['name']);
  });

  it('still refuses an object of a class without rules', async () => {
    class Bare {
      x = 1;
    }
    expect(await check(new Bare())).toEqual([undefined]);
  });
});
