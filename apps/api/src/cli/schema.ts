import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { featureResolvers } from '../features';

/**
 * Prints the GraphQL schema from the code. `--write FILE` updates the committed file;
 * `--check FILE` exits 1 when it differs (CI catches drift).
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(featureResolvers());
  const printed = printSchema(lexicographicSortSchema(schema)) + '\n';
  await app.close();
  const [mode, file] = process.argv.slice(2);
  if (mode === '--write' && file) {
    writeFileSync(file, printed);
    console.log(`Wrote ${file}`);
  } else if (mode === '--check' && file) {
    const committed = readFileSync(file, 'utf8');
    if (committed !== printed) {
      console.error(`${file} differs from the code: run "npm run schema:write" and commit it.`);
      process.exit(1);
    }
    console.log(`${file} matches the code.`);
  } else {
    process.stdout.write(printed);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
