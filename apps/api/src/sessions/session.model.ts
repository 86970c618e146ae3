import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';

@ObjectType('Session', { description: 'A browser where a person is signed in.' })
export class SessionModel {
  @Field(() => ID, { description: 'The session (not its secret).' })
  id: string;

  @Field(() => String, { nullable: true, description: 'Browser and major version, e.g. "Firefox 120"; null when unknown.' })
  browser: string | null;

  @Field(() => String, { nullable: true, description: 'Operating system, e.g. "Windows 10"; null when unknown.' })
  os: string | null;

  @Field(() => String, { nullable: true, description: '"desktop", "mobile", "tablet" or "tv"; null when unknown.' })
  deviceType: string | null;

  @Field(() => String, { nullable: true, description: 'The full User-Agent header as sent at sign-in.' })
  userAgent: string | null;

  @Field(() => String, { nullable: true, description: 'The client address at sign-in.' })
  ip: string | null;

  @Field(() => DateTimeScalar, { description: 'When the person signed in.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: 'Last request seen (updated at most once a minute).' })
  lastActiveAt: Date;

  @Field(() => DateTimeScalar, { description: 'When the session ends unless revoked earlier.' })
  expiresAt: Date;

  @Field({ description: 'Begun through single sign-on.' })
  sso: boolean;

  @Field({ description: 'The session making this request ("this device").' })
  current: boolean;
}
