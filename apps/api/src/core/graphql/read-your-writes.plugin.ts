import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { ChangeFeed } from '../database/change-feed';

/**
 * A mutation is answered once this instance has heard of what it committed: the caches here (who a
 * credential stands for, counts, team names) have dropped what it changed, so the caller's next
 * request, or anyone's, sees it. A deleted person, an ended session or a password changed elsewhere
 * stops working here at once; other instances follow within milliseconds, when the announcement
 * reaches them. Queries are answered without waiting.
 */
@Plugin()
export class ReadYourWritesPlugin implements ApolloServerPlugin {
  constructor(private readonly feed: ChangeFeed) {}

  async requestDidStart(): Promise<GraphQLRequestListener<object>> {
    const feed = this.feed;
    return {
      async willSendResponse({ operation }) {
        if (operation?.operation === 'mutation') await feed.caughtUp();
      },
    };
  }
}
