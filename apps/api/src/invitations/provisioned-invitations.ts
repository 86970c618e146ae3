import { Injectable } from '@nestjs/common';
import { MembersProvisioning } from '../users/provisioning.service';

/**
 * An invitation ends when SCIM provisions its person (design §5 case 2): the membership it held becomes
 * active, and its link stops working, in the provisioning's transaction.
 */
@Injectable()
export class ProvisionedInvitations {
  constructor(provisioning: MembersProvisioning) {
    provisioning.onProvisioned('invitation', async (tx, { organizationId, userId, from }) => {
      if (from !== 'invitation') return;
      await tx.query(`DELETE FROM invitations WHERE organization_id = $1 AND user_id = $2`, [organizationId, userId]);
    });
  }
}
