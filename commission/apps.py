from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionConfig(AppConfig):
    name = "commission"
    verbose_name = _("CUCS commission")

    def ready(self):
        # Models are loaded only now.
        from ateliers.sections import ProposalSection, register_proposal_section

        from . import selectors

        register_proposal_section(
            ProposalSection(
                template_name="commission/includes/proposal_sessions.html",
                context=selectors.proposal_section,
                stylesheet="css/commission.css",
            )
        )
