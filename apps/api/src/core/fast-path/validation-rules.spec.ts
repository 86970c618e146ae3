import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { getMetadataStorage, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min, validate, ValidateNested } from 'class-validator';
import { flatArgumentsCheck, rememberRules } from './validation-rules';

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

/**
 * What Nest's ValidationPipe({ transform, whitelist, forbidUnknownValues }) does with a value: the
 * instance class-transformer makes, then class-validator's errors (whitelisting strips, in place).
 */
const classic = async (metatype: new () => object, value: object) => {
  const entity = plainToInstance(metatype, { ...value });
  const errors = await validate(entity, { whitelist: true, forbidUnknownValues: true });
  return { entity, valid: errors.length === 0, stripped: Object.keys(value).some((k) => !Object.hasOwn(entity, k)) };
};

enum Sort {
  EMAIL = 'EMAIL',
  NAME = 'NAME',
}

/** A page's arguments, with the users page's kinds of rules (a Nest ArgsType cannot load in this unit test). */
class PageArgs {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  first?: number | null;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(254)
  search?: string | null;

  @IsEnum(Sort)
  sortBy!: Sort;
}

describe('flat arguments, checked without class-validator when they pass', () => {
  // A value the check accepts is one Nest's pipe accepts unchanged, and the same instance; a value it
  // does not accept goes to the pipe (null), which refuses or strips it as always.
  const same = async (metatype: new () => object, value: object) => {
    const fast = flatArgumentsCheck(metatype)?.({ ...value }) ?? null;
    const pipe = await classic(metatype, value);
    if (fast) {
      expect(pipe.valid && !pipe.stripped).toBe(true);
      expect(fast).toBeInstanceOf(metatype);
      expect(fast).toEqual(pipe.entity);
    }
    return fast;
  };

  it("accepts the users page's valid arguments as Nest's pipe does, and nothing else", async () => {
    const base = { sortBy: Sort.EMAIL };
    const valid = [base, { ...base, first: 50, after: null, search: null }, { ...base, first: 200, after: 'x', search: 'ada' }];
    for (const v of valid) expect(await same(PageArgs, v)).not.toBeNull();
    const refused = [
      { ...base, first: 0 },
      { ...base, first: 201 },
      { ...base, first: 1.5 },
      { ...base, first: '50' },
      { ...base, search: 's'.repeat(255) },
      { sortBy: 'NOPE' },
      { first: 5 },
      { ...base, search: { length: 1 } },
      {},
    ];
    for (const v of refused) {
      expect(await same(PageArgs, v)).toBeNull();
      expect((await classic(PageArgs, v)).valid).toBe(false);
    }
    // An unknown property: stripped by the pipe, so left to it.
    expect(await same(PageArgs, { ...base, unknown: 1 })).toBeNull();
  });

  it('leaves classes with transformations, nested rules or rules on each item to class-validator', () => {
    class Trimmed {
      @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
      @MaxLength(3)
      name!: string;
    }
    class Inner {
      @IsInt()
      n!: number;
    }
    class Outer {
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    class Items {
      @IsOptional()
      @IsInt({ each: true })
      ns?: number[];
    }
    for (const c of [Trimmed, Outer, Items]) expect(flatArgumentsCheck(c)).toBeNull();
  });

  it('sees a rule added to a class it has already checked', async () => {
    class Late {
      @IsString()
      s!: string;
    }
    expect(await same(Late, { s: 'abcdef' })).not.toBeNull();
    MaxLength(3)(Late.prototype, 's');
    expect(await same(Late, { s: 'abcdef' })).toBeNull();
    expect((await classic(Late, { s: 'abcdef' })).valid).toBe(false);
  });
});
