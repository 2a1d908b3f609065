import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ActionPlanModel, CommitmentModel, LeadAgencyModel } from '#commitments';
import { RedFlagRulesModel } from '#oversight';
import { Allow } from '#platform';
import { feedUrl, RED_FLAGS_FEED_URL } from '../feed-urls.js';

const RELATIVE = 'relative to the API address, e.g. /feeds/commitments/<id>.atom';

/** Where a commitment's Atom feeds are, on the Commitment type. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentFeedResolver {
  @ResolveField(() => String, {
    description: `The Atom feed of this commitment's changes (${RELATIVE}).`,
  })
  feedUrl(@Parent() commitment: CommitmentModel): string {
    return feedUrl('commitment', commitment.id);
  }

  @ResolveField(() => String, {
    description: `The Atom feed of every commitment of its action plan (${RELATIVE}).`,
  })
  actionPlanFeedUrl(@Parent() commitment: CommitmentModel): string {
    return feedUrl('action-plan', commitment.actionPlanId);
  }
}

/** Where a lead agency's Atom feed is, on the LeadAgency type. */
@Allow('anonymous')
@Resolver(() => LeadAgencyModel)
export class LeadAgencyFeedResolver {
  @ResolveField(() => String, {
    description: `The Atom feed of every commitment this agency leads (${RELATIVE}).`,
  })
  feedUrl(@Parent() agency: LeadAgencyModel): string {
    return feedUrl('agency', agency.id);
  }
}

/** Where an action plan's Atom feed is, on the ActionPlan type. */
@Allow('anonymous')
@Resolver(() => ActionPlanModel)
export class ActionPlanFeedResolver {
  @ResolveField(() => String, {
    description: `The Atom feed of every commitment of this action plan (${RELATIVE}).`,
  })
  feedUrl(@Parent() plan: ActionPlanModel): string {
    return feedUrl('action-plan', plan.id);
  }
}

/** Where the red flags' Atom feed is, beside the rules that raise them. */
@Allow('anonymous')
@Resolver(() => RedFlagRulesModel)
export class RedFlagRulesFeedResolver {
  @ResolveField(() => String, {
    description:
      'The Atom feed of red flags, newest raised first, judged now (relative to the API ' +
      'address: /feeds/red-flags.atom).',
  })
  feedUrl(): string {
    return RED_FLAGS_FEED_URL;
  }
}
